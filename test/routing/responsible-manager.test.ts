/**
 * S1–S3 through real HTTP against the Zoho CRM emulator: which manager the endpoint answers for each kind of
 * existing client, and when it tells the telephony to continue its own scheme.
 */
import type { ZohoUser } from '../../zoho';
import { startRoutingHarness, type RoutingHarness } from './support';

describe('smart routing: the responsible manager', () => {
  let harness: RoutingHarness;
  beforeAll(async () => {
    harness = await startRoutingHarness();
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.configure());

  const seed = async (module: 'Leads' | 'Contacts' | 'Deals', record: Record<string, unknown>): Promise<string> =>
    String((await harness.admin.seedRecords(module, [record]))[0].id);
  const lead = (phone: string, owner: ZohoUser, extra: Record<string, unknown> = {}) => seed('Leads', { Last_Name: 'Caller', Mobile: phone, Owner: owner.id, ...extra });
  const contact = (phone: string, owner: ZohoUser) => seed('Contacts', { Last_Name: 'Client', Phone: phone, Owner: owner.id });
  const deal = (contactId: string, owner: ZohoUser, stage = 'In Progress') =>
    seed('Deals', { Deal_Name: `Deal ${stage}`, Pipeline: 'New', Stage: stage, Contact_Name: contactId, Owner: owner.id });

  /** One caller with an open lead (Ivan), an open deal (Maria) and a contact (Andrii). */
  async function clientEverywhere(): Promise<string> {
    const { ivan, maria, andrii } = harness.users;
    const phone = harness.uniquePhone();
    await lead(phone, ivan);
    await deal(await contact(phone, andrii), maria);
    return phone;
  }

  it("S1, S2: routes to the owner of the caller's open lead first", async () => {
    const answer = await harness.ask(await clientEverywhere());
    expect(answer).toMatchObject({ status: 200, body: { destination: 'ivan' }, decision: 'Leads' });
  });

  it('S1, S2: without an open lead, routes to the owner of the open deal', async () => {
    const phone = harness.uniquePhone();
    await deal(await contact(phone, harness.users.andrii), harness.users.maria);
    expect(await harness.ask(phone)).toMatchObject({ status: 200, body: { destination: 'maria' }, decision: 'Deals' });
  });

  it("S1, S2: with only a contact, routes to the contact's owner", async () => {
    const phone = harness.uniquePhone();
    await contact(phone, harness.users.andrii);
    expect(await harness.ask(phone)).toMatchObject({ status: 200, body: { destination: 'andrii' }, decision: 'Contacts' });
  });

  it('S1: a converted lead and closed deals are not open, so the contact decides', async () => {
    const { ivan, maria, andrii } = harness.users;
    const phone = harness.uniquePhone();
    await lead(phone, ivan, { Converted__s: true });
    const contactId = await contact(phone, andrii);
    await deal(contactId, maria, 'Closed Won');
    await deal(contactId, ivan, 'Closed Lost');
    expect(await harness.ask(phone)).toMatchObject({ body: { destination: 'andrii' }, decision: 'Contacts' });
  });

  it.each([
    [['Leads', 'Deals', 'Contacts'], 'ivan', 'Leads'],
    [['Leads', 'Contacts', 'Deals'], 'ivan', 'Leads'],
    [['Deals', 'Leads', 'Contacts'], 'maria', 'Deals'],
    [['Deals', 'Contacts', 'Leads'], 'maria', 'Deals'],
    [['Contacts', 'Leads', 'Deals'], 'andrii', 'Contacts'],
    [['Contacts', 'Deals', 'Leads'], 'andrii', 'Contacts'],
    [['Deals'], 'maria', 'Deals'],
  ])('S1: priority %j routes to %s', async (priority, destination, module) => {
    const phone = await clientEverywhere();
    harness.configure({ routing: { priority } });
    expect(await harness.ask(phone)).toMatchObject({ body: { destination }, decision: module });
  });

  it('S1: a module left out of the priority is not consulted', async () => {
    const phone = harness.uniquePhone();
    await contact(phone, harness.users.andrii);
    harness.configure({ routing: { priority: ['Leads', 'Deals'] } });
    expect(await harness.ask(phone)).toMatchObject({ body: { destination: '' }, decision: 'continue:not-found' });
  });

  it('S2 (M17): finds a client whose number was stored as `0XX XXX XX XX`, whatever format the caller comes in', async () => {
    const phone = harness.uniquePhone(); // +38050…
    const national = phone.slice(3); // 050…
    const stored = `${national.slice(0, 3)} ${national.slice(3, 6)} ${national.slice(6, 8)} ${national.slice(8)}`;
    await lead(phone, harness.users.maria, { Mobile: stored });
    expect(await harness.ask(phone)).toMatchObject({ body: { destination: 'maria' }, decision: 'Leads' });
    expect(await harness.ask(national)).toMatchObject({ body: { destination: 'maria' }, decision: 'Leads' });
    expect(await harness.ask(phone.slice(1))).toMatchObject({ body: { destination: 'maria' }, decision: 'Leads' });
  });

  it.each([
    [['sipLogins'], 'maria'],
    [['extensions'], '102'],
    [['phones', 'sipLogins'], '+380501000102'],
  ])('S2: answers the destination kinds %j as %s', async (destinations, destination) => {
    const phone = harness.uniquePhone();
    await lead(phone, harness.users.maria);
    harness.configure({ routing: { destinations } });
    expect(await harness.ask(phone)).toMatchObject({ body: { destination } });
  });

  it('S2: falls back to the next destination kind the employee has', async () => {
    const phone = harness.uniquePhone();
    await lead(phone, harness.users.maria);
    const settings = harness.configure();
    const employees = settings.employees.map((employee) => ({ ...employee, sipLogins: [] }));
    harness.configure({ employees, routing: { destinations: ['sipLogins', 'extensions'] } });
    expect(await harness.ask(phone)).toMatchObject({ body: { destination: '102' } });
    harness.configure({ employees, routing: { destinations: ['sipLogins'] } });
    expect(await harness.ask(phone)).toMatchObject({ body: { destination: '' }, decision: 'continue:no-destination' });
  });

  it('S3: an owner who is not an employee means "continue"', async () => {
    const phone = harness.uniquePhone();
    await lead(phone, harness.users.senior);
    expect(await harness.ask(phone)).toMatchObject({ status: 200, body: { destination: '' }, decision: 'continue:owner-not-employee' });
  });

  it('S2, S3: a record owned by a non-employee is passed over for the next one owned by an employee', async () => {
    const phone = harness.uniquePhone();
    await lead(phone, harness.users.senior);
    await contact(phone, harness.users.andrii);
    expect(await harness.ask(phone)).toMatchObject({ body: { destination: 'andrii' }, decision: 'Contacts' });
  });

  it('S3: nobody with the number means "continue"', async () => {
    expect(await harness.ask(harness.uniquePhone())).toMatchObject({ status: 200, body: { destination: '' }, decision: 'continue:not-found' });
  });

  it('S3: a missing or hidden caller number means "continue", without asking Zoho', async () => {
    const before = await harness.settledCrmRequests();
    expect(await harness.ask(undefined)).toMatchObject({ body: { destination: '' }, decision: 'continue:no-caller' });
    expect(await harness.ask('anonymous')).toMatchObject({ body: { destination: '' }, decision: 'continue:no-caller' });
    expect(await harness.settledCrmRequests()).toBe(before);
  });
});
