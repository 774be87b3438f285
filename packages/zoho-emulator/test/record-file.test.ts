/** The demo CRM keeps its records across restarts (`recordFile`): same records, same ids, no id handed out twice. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createdId, startHarness } from './harness';

describe('emulator: records kept in a file across restarts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-emulator-file-'));
  const recordFile = path.join(dir, 'demo-crm.json');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a restarted emulator has the records of the last run, searchable, and creates new ones with fresh ids', async () => {
    const first = await startHarness({ seed: 'demo', recordFile });
    const seeded = (await first.api.get('/Leads', { params: { fields: 'Last_Name' } })).data.data.length;
    const leadId = createdId(await first.api.post('/Leads', { data: [{ Last_Name: 'Kept', Phone: '+380671112233' }] }));
    const taskId = createdId(await first.api.post('/Tasks', { data: [{ Subject: 'Call back', What_Id: { id: leadId }, $se_module: 'Leads' }] }));
    await first.api.put(`/Leads/${leadId}`, { data: [{ Lead_Source: 'Phone' }] });
    await first.emulator.close();

    const second = await startHarness({ seed: 'demo', recordFile });
    try {
      const leads = (await second.api.get('/Leads', { params: { fields: 'Last_Name,Lead_Source' } })).data.data as Record<string, unknown>[];
      expect(leads).toHaveLength(seeded + 1);
      expect(leads).toContainEqual(expect.objectContaining({ id: leadId, Last_Name: 'Kept', Lead_Source: 'Phone' }));
      const found = await second.api.post('/coql', { select_query: "select Last_Name from Leads where Phone = '+380671112233'" });
      expect(found.data.data).toEqual([expect.objectContaining({ id: leadId })]);
      expect((await second.api.get(`/Tasks/${taskId}`)).data.data[0]).toMatchObject({ Subject: 'Call back', What_Id: expect.objectContaining({ id: leadId }) });
      const newId = createdId(await second.api.post('/Leads', { data: [{ Last_Name: 'New' }] }));
      expect([leadId, taskId]).not.toContain(newId);
      expect(BigInt(newId)).toBeGreaterThan(BigInt(taskId));
    } finally {
      await second.emulator.close();
    }
  });

  it('an unreadable file stops the start with a message that names it', async () => {
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{ not json');
    await expect(startHarness({ recordFile: broken })).rejects.toThrow(/broken\.json is not readable JSON/);
  });
});
