/**
 * Issue 15: a call's writes in one composite request when the grant allows it, one request each when it does not,
 * and exactly once either way (requirement 5), a composite that timed out after Zoho committed it included.
 */
import { REQUESTED_SCOPES } from '../../activation/scopes';
import { writtenIdOf, ZohoTransientError, type RecordWrite } from '../../zoho';
import { authorize, startZoho, type TestZoho } from './support';

const COMPOSITE = 'POST /crm/v8/__composite_requests';

describe('writing a call’s records', () => {
  let zoho: TestZoho;
  beforeEach(async () => {
    // A long search-index lag proves the retry's lookup does not rely on Search.
    zoho = await startZoho({ searchIndexLagMs: 60_000 });
  });
  afterEach(() => zoho.close());

  const grantComposite = async () => {
    zoho.credentials.value = await authorize(zoho.emulator, zoho.admin, REQUESTED_SCOPES);
  };
  const callWrites = (key: string): RecordWrite[] => [
    { kind: 'create', module: 'Leads', data: { Last_Name: 'Caller +380671112233', Phone: '+380671112233' }, idempotencyKey: `${key}/lead` },
    { kind: 'create', module: 'Tasks', data: { Subject: 'Call back', What_Id: { id: writtenIdOf(0) }, $se_module: 'Leads' }, idempotencyKey: `${key}/task` },
    { kind: 'create', module: 'Calls', data: { Subject: 'Inbound call', Call_Type: 'Missed', Call_Start_Time: '2025-01-02T10:00:00+02:00', What_Id: { id: writtenIdOf(0) }, $se_module: 'Leads' }, idempotencyKey: `${key}/call` },
  ];
  const endpoints = async () => (await zoho.admin.requests()).map((r) => r.endpoint).filter((e) => !e.startsWith('POST /oauth'));
  const expectLinkedRecords = async () => {
    const leads = await zoho.admin.records('Leads');
    const tasks = await zoho.admin.records('Tasks');
    const calls = await zoho.admin.records('Calls');
    expect([leads.length, tasks.length, calls.length]).toEqual([1, 1, 1]);
    expect(tasks[0].What_Id).toMatchObject({ id: leads[0].id });
    expect(calls[0].What_Id).toMatchObject({ id: leads[0].id });
    return leads[0].id;
  };

  it('sends them as one composite request, the task and call record linked to the lead by reference', async () => {
    await grantComposite();
    const results = await zoho.client.writeRecords(callWrites('call-1'), { firstAttempt: true });
    expect(results.every((r) => r.created)).toBe(true);
    expect(results[0].id).toBe(await expectLinkedRecords());
    expect(await endpoints()).toEqual([COMPOSITE]);
  });

  it('an activation without the composite scope writes the same records with one request each', async () => {
    await zoho.client.writeRecords(callWrites('call-1'), { firstAttempt: true });
    await expectLinkedRecords();
    expect(await endpoints()).toEqual(['POST /crm/v8/Leads', 'POST /crm/v8/Tasks', 'POST /crm/v8/Calls']);
  });

  it('switched off (CALLMATRIX_ZOHO_COMPOSITE=false), writes separately even when granted', async () => {
    await grantComposite();
    await zoho.newClient({ composite: false }).writeRecords(callWrites('call-1'), { firstAttempt: true });
    await expectLinkedRecords();
    expect(await endpoints()).not.toContain(COMPOSITE);
  });

  it('a retry after a composite request timed out after commit finds every record by its marker and writes none again', async () => {
    await grantComposite();
    await zoho.admin.addFault({ kind: 'timeout-after-commit', match: { path: '__composite_requests' } });
    await expect(zoho.client.writeRecords(callWrites('call-1'), { firstAttempt: true })).rejects.toBeInstanceOf(ZohoTransientError);
    const leadId = await expectLinkedRecords();
    await zoho.admin.clearRequests();
    // The activity's retry, as Temporal would run it (a new client: the worker may have restarted).
    const retry = await zoho.newClient().writeRecords(callWrites('call-1'));
    expect(retry.map((r) => r.created)).toEqual([false, false, false]);
    expect(retry[0].id).toBe(leadId);
    expect(await expectLinkedRecords()).toBe(leadId);
    // #15: the three marker checks go as one composite request of COQL queries (and write nothing).
    expect(await endpoints()).toEqual([COMPOSITE]);
  });

  it('#15: timeout-after-commit faults on every write request: each retry checks the markers in one request, and every record exists once', async () => {
    await grantComposite();
    // Separately first: the lead commits and its answer is lost; the task and call record are never sent.
    await zoho.admin.addFault({ kind: 'timeout-after-commit', count: 1, match: { method: 'POST', module: 'Leads' } });
    await expect(zoho.newClient({ composite: false }).writeRecords(callWrites('call-2'), { firstAttempt: true })).rejects.toBeInstanceOf(ZohoTransientError);
    expect(await zoho.admin.records('Leads')).toHaveLength(1);
    // The retry finds the lead, bundles the task and call record, and that composite times out after commit too.
    await zoho.admin.addFault({ kind: 'timeout-after-commit', count: 1, match: { path: '__composite_requests' } });
    await zoho.admin.clearRequests();
    await expect(zoho.client.writeRecords(callWrites('call-2'))).rejects.toBeInstanceOf(ZohoTransientError);
    expect(await endpoints()).toEqual([COMPOSITE, COMPOSITE]);
    await zoho.admin.clearRequests();
    const retry = await zoho.newClient().writeRecords(callWrites('call-2'));
    expect(retry.map((r) => r.created)).toEqual([false, false, false]);
    expect(await expectLinkedRecords()).toBe(retry[0].id);
    expect(await endpoints()).toEqual([COMPOSITE]);
  });

  it('a record Zoho refuses rolls the request back; the writes then go separately, which reuse a duplicate lead', async () => {
    await grantComposite();
    const [existing] = await zoho.admin.seedRecords('Leads', [{ Last_Name: 'Known', Email: 'known@example.test' }]);
    const writes = callWrites('call-1');
    writes[0] = { ...writes[0], data: { ...(writes[0].data as object), Email: 'known@example.test' } } as RecordWrite;
    const results = await zoho.client.writeRecords(writes, { firstAttempt: true });
    expect(results.map((r) => r.created)).toEqual([false, true, true]);
    expect(results[0].id).toBe(existing.id);
    expect(await expectLinkedRecords()).toBe(existing.id);
    expect(await endpoints()).toEqual([COMPOSITE, 'POST /crm/v8/Leads', 'POST /crm/v8/Tasks', 'POST /crm/v8/Calls']);
  });
});
