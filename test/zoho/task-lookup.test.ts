/** O2: the tasks another integration linked (What_Id) to the caller's lead or deal, found the moment they exist. */
import { startZoho, type TestZoho } from './support';

describe('tasks related to leads and deals', () => {
  let zoho: TestZoho;
  beforeAll(async () => {
    zoho = await startZoho({ searchIndexLagMs: 60_000 });
  });
  afterAll(() => zoho.close());

  it('finds the tasks of the given leads and deals, newest first, with status, owner and parent module', async () => {
    const [, manager] = await zoho.client.listUsers();
    const [lead, other] = await zoho.admin.seedRecords('Leads', [{ Last_Name: 'Caller' }, { Last_Name: 'Someone else' }]);
    const [contact] = await zoho.admin.seedRecords('Contacts', [{ Last_Name: 'Buyer' }]);
    const [deal] = await zoho.admin.seedRecords('Deals', [{ Deal_Name: 'Sofa', Stage: 'Qualification', Pipeline: 'Standard', Contact_Name: contact.id }]);
    const task = (subject: string, parent: Record<string, unknown>, module: string, createdTime: string) =>
      zoho.admin.seedRecords('Tasks', [{ Subject: subject, Status: 'Not Started', What_Id: parent.id, $se_module: module, Owner: manager.id }], { createdTime });
    await task('older on lead', lead, 'Leads', '2026-01-01T10:00:00Z');
    await task('newer on deal', deal, 'Deals', '2026-01-01T11:00:00Z');
    await task('not ours', other, 'Leads', '2026-01-01T12:00:00Z');

    const found = await zoho.client.findTasksRelatedTo([
      { module: 'Leads', id: String(lead.id) },
      { module: 'Deals', id: String(deal.id) },
    ]);
    expect(found.map((t) => t.subject)).toEqual(['newer on deal', 'older on lead']);
    expect(found[0]).toMatchObject({ module: 'Tasks', status: 'Not Started', ownerId: manager.id, what: { module: 'Deals', id: deal.id } });
    expect(found[1]).toMatchObject({ what: { module: 'Leads', id: lead.id }, createdTime: expect.stringMatching(/^2026-01-01T1\d:00:00\+02:00$/) });
  });

  it('asks nothing for no parents, and answers no task with an empty list', async () => {
    const before = (await zoho.admin.requests()).length;
    expect(await zoho.client.findTasksRelatedTo([])).toEqual([]);
    expect((await zoho.admin.requests()).length).toBe(before);
    expect(await zoho.client.findTasksRelatedTo([{ module: 'Leads', id: '1' }])).toEqual([]);
  });
});
