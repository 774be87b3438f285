/**
 * The endpoint as the telephony meets it, through real HTTP against the Zoho CRM emulator: request and answer
 * formats, the secret, and what keeps a waiting caller fast (S3): the deadline, the broken-integration short cut
 * and the per-number cache.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { startRoutingHarness, type RoutingHarness } from './support';

describe('smart routing: the endpoint', () => {
  let harness: RoutingHarness;
  beforeAll(async () => {
    harness = await startRoutingHarness();
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.configure());

  /** A caller with an open lead owned by Maria (SIP `maria`, extension 102). */
  async function mariasLead(): Promise<string> {
    const phone = harness.uniquePhone();
    await harness.admin.seedRecords('Leads', [{ Last_Name: 'Caller', Phone: phone, Owner: harness.users.maria.id }]);
    return phone;
  }

  const settledCrmRequests = () => harness.settledCrmRequests();

  describe('request', () => {
    it.each([
      ['a JSON POST', { method: 'POST' as const }],
      ['a form POST', { method: 'POST' as const, form: true }],
      ['a GET with query parameters', { method: 'GET' as const }],
    ])('S1: reads the caller from %s', async (_label, options) => {
      expect(await harness.ask(await mariasLead(), options)).toMatchObject({ status: 200, body: { destination: 'maria' } });
    });

    it('S1: reads the caller from the configured parameter', async () => {
      const phone = await mariasLead();
      harness.configure({ routing: { callerParameter: 'phone' } });
      expect(await harness.ask(undefined, { parameters: { phone } })).toMatchObject({ body: { destination: 'maria' } });
      expect(await harness.ask(phone)).toMatchObject({ decision: 'continue:no-caller' });
    });

    it('answers 401 to a wrong or missing secret, without asking Zoho', async () => {
      const phone = await mariasLead();
      const before = await settledCrmRequests();
      expect(await harness.ask(phone, { secret: 'not-the-secret' })).toMatchObject({ status: 401, decision: '' });
      expect(await harness.ask(phone, { method: 'GET', secret: '' })).toMatchObject({ status: 401 });
      expect(await settledCrmRequests()).toBe(before);
    });

    it('answers HEAD with 404, without asking Zoho', async () => {
      const phone = await mariasLead();
      const before = await settledCrmRequests();
      expect(await harness.ask(phone, { method: 'HEAD' })).toMatchObject({ status: 404 });
      expect(await settledCrmRequests()).toBe(before);
    });

    it('answers 401 to a wrong secret before reading the body: a malformed or oversized one is not parsed', async () => {
      const post = (body: string) =>
        fetch(`${harness.url}?secret=not-the-secret`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      for (const body of ['{"caller":', 'x'.repeat(3 * 1024 * 1024)]) {
        const response = await post(body);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ ok: false, errors: [expect.stringMatching(/^secret: missing or wrong/)] });
      }
    });
  });

  describe('answer', () => {
    it('S2: puts the destination under the configured JSON key', async () => {
      const phone = await mariasLead();
      harness.configure({ routing: { responseKey: 'number' } });
      expect(await harness.ask(phone)).toMatchObject({ status: 200, body: { number: 'maria' } });
    });

    it('S2, S3: in text format, answers the destination as the body, and "continue" as an empty body', async () => {
      const phone = await mariasLead();
      harness.configure({ routing: { responseFormat: 'text', destinations: ['extensions'] } });
      expect(await harness.ask(phone)).toMatchObject({ status: 200, body: '102' });
      expect(await harness.ask(harness.uniquePhone())).toMatchObject({ status: 200, body: '', decision: 'continue:not-found' });
    });

    it('S3: answers "continue" as 204 No Content when so configured, and still routes with 200', async () => {
      harness.configure({ routing: { continueAnswer: 'no-content' } });
      expect(await harness.ask(harness.uniquePhone())).toMatchObject({ status: 204, body: '', decision: 'continue:not-found' });
      expect(await harness.ask(await mariasLead())).toMatchObject({ status: 200, body: { destination: 'maria' } });
    });

    it('S2, S3: an owner whose Zoho user was deactivated, though still an employee in the settings, is passed over for the next record\'s owner, else "continue"', async () => {
      const taras = harness.users.deactivated;
      const employees = harness.configure().employees.map((employee) => ({ ...employee }));
      harness.configure({ employees: [...employees, { code: '104', name: taras.full_name, zohoUserId: taras.id, extensions: ['104'], sipLogins: ['taras'] }] });
      const phone = harness.uniquePhone();
      await harness.admin.seedRecords('Leads', [{ Last_Name: 'Caller', Phone: phone, Owner: taras.id }]);
      expect(await harness.ask(phone)).toMatchObject({ status: 200, body: { destination: '' }, decision: 'continue:owner-not-employee' });
      const withContact = harness.uniquePhone();
      await harness.admin.seedRecords('Leads', [{ Last_Name: 'Caller', Phone: withContact, Owner: taras.id }]);
      await harness.admin.seedRecords('Contacts', [{ Last_Name: 'Caller', Phone: withContact, Owner: harness.users.maria.id }]);
      expect(await harness.ask(withContact)).toMatchObject({ status: 200, body: { destination: 'maria' }, decision: 'Contacts' });
    });

    it('S3: a Zoho error means "continue"', async () => {
      await harness.admin.addFault({ kind: 'error', status: 400, code: 'INVALID_QUERY', match: { path: '/coql' } });
      try {
        expect(await harness.ask(await mariasLead())).toMatchObject({ status: 200, body: { destination: '' }, decision: 'continue:zoho-error' });
      } finally {
        await harness.admin.clearFaults();
      }
    });
  });

  it('S3: while Zoho keeps failing, says so once a minute in one line with its reason, not a stack per call', async () => {
    const lines: Record<string, unknown>[] = [];
    const logged = await startRoutingHarness({ logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(JSON.parse(line)) }) });
    try {
      await logged.admin.addFault({ kind: 'error', status: 400, code: 'INVALID_QUERY', match: { path: '/coql' } });
      for (const caller of [logged.uniquePhone(), logged.uniquePhone(), logged.uniquePhone()]) {
        expect(await logged.ask(caller)).toMatchObject({ decision: 'continue:zoho-error' });
      }
      expect(lines).toEqual([expect.objectContaining({ msg: 'routing lookup failed; answering "continue"', reason: expect.stringContaining('INVALID_QUERY') })]);
      expect(lines[0]).not.toHaveProperty('err');
    } finally {
      await logged.close();
    }
  });

  describe('a caller is waiting', () => {
    it('S3: past the deadline answers "continue" without waiting for Zoho, and keeps the late answer for the next call', async () => {
      const phone = await mariasLead();
      harness.configure({ routing: { deadlineMs: 300 } });
      // Zoho holds the lookups until released: the answer cannot have waited for them, however slow the host.
      await harness.admin.addFault({ kind: 'hold' });
      try {
        expect(await harness.ask(phone)).toMatchObject({ status: 200, body: { destination: '' }, decision: 'continue:deadline' });
      } finally {
        await harness.admin.clearFaults();
      }
      const looked = await settledCrmRequests(); // the lookups started for the first call finish and are cached
      expect(await harness.ask(phone)).toMatchObject({ body: { destination: 'maria' }, decision: 'Leads' });
      expect(await settledCrmRequests()).toBe(looked);
    });

    it('S3: while the integration is broken, answers "continue" at once without asking Zoho', async () => {
      const phone = await mariasLead();
      const before = await settledCrmRequests();
      await harness.setIntegrationBroken(true);
      try {
        expect(await harness.ask(phone)).toMatchObject({ status: 200, body: { destination: '' }, decision: 'continue:integration-broken' });
      } finally {
        await harness.setIntegrationBroken(false);
      }
      expect(await settledCrmRequests()).toBe(before);
      expect(await harness.ask(phone)).toMatchObject({ body: { destination: 'maria' } });
    });

    it('a repeated call within the TTL costs no Zoho request, whatever format the number comes in', async () => {
      const phone = await mariasLead();
      const before = await settledCrmRequests();
      expect(await harness.ask(phone)).toMatchObject({ body: { destination: 'maria' } });
      const afterFirst = await settledCrmRequests();
      expect(afterFirst - before).toBe(1); // one composite request holding a COQL query per module (#15)
      expect(await harness.ask(phone.slice(3))).toMatchObject({ body: { destination: 'maria' } });
      expect(await settledCrmRequests()).toBe(afterFirst);
    });

    it('asks Zoho again once the TTL has passed, and on every call with the cache off', async () => {
      const phone = await mariasLead();
      harness.configure({ routing: { cacheTtlSeconds: 2 } });
      const before = await settledCrmRequests();
      // Back to back, well inside the TTL (it runs from the first lookup): the second answer is the cached one.
      await harness.ask(phone);
      await harness.ask(phone);
      const cached = await settledCrmRequests();
      expect(cached - before).toBe(1); // one composite lookup (#15)
      await sleep(2_100); // a timer never fires early: the entry has expired
      await harness.ask(phone);
      const expired = await settledCrmRequests();
      expect(expired).toBe(cached + 1);
      harness.configure({ routing: { cacheTtlSeconds: 0 } });
      await harness.ask(phone);
      await harness.ask(phone);
      expect(await settledCrmRequests()).toBe(expired + 2);
    });
  });
});
