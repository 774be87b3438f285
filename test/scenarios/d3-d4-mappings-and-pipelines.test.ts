/** Per-module mappings of telephony parameters to Zoho fields (D3) and the pipeline a new deal goes to (D4). */
import { CLIENT, endOnly, expectCrm, incomingCall, settings, useScenarioHarness, without } from './scenario-kit';

const harness = useScenarioHarness();

/** M1 with a contact and a deal (O3), so all three mapped modules are written. */
const everyModule = { matrix: { scenarios: { 'answered-new-client': { createContact: true, createDeal: true } } } };

describe('D3: per-module mappings', () => {
  it('D3: each module gets its own mapped parameters — standard and custom ones — next to the default Lead fields', async () => {
    const h = harness();
    settings(h, {
      ...everyModule,
      mappings: {
        Leads: { pool_name: 'rs_pool_name', landing: 'rs_landing' },
        Contacts: { client_id: 'rs_google_client_id', pool_name: 'rs_pool_name' },
        Deals: { utm_source: 'rs_utm_source', ad_group: 'rs_pool_name', landing: 'rs_landing' },
      },
    });
    await endOnly(h, incomingCall(h.uniqueCallId(), { ad_group: 'sofas-kyiv' }));

    const crm = await expectCrm(h, { Leads: 1, Contacts: 1, Deals: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({
      Phone: CLIENT,
      rs_pool_name: 'Contextual ads',
      rs_landing: 'https://shop.example.com/sofas',
      rs_utm_source: 'google',
      rs_google_client_id: 'GA1.2.345',
    });
    expect(crm.Contacts[0]).toMatchObject({ rs_google_client_id: 'GA1.2.345', rs_pool_name: 'Contextual ads', rs_landing: null });
    expect(crm.Deals[0]).toMatchObject({ rs_utm_source: 'google', rs_pool_name: 'sofas-kyiv', rs_landing: 'https://shop.example.com/sofas', rs_utm_medium: null });
  });

  it('D3: a parameter the call does not carry is left out, never written as a blank', async () => {
    const h = harness();
    settings(h, { ...everyModule, mappings: { Leads: { pool_name: 'rs_pool_name' }, Deals: { ad_group: 'rs_pool_name' } } });
    await endOnly(h, incomingCall(h.uniqueCallId(), { pool_name: '', utm_campaign: '' }));
    const crm = await expectCrm(h, { Leads: 1, Contacts: 1, Deals: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ rs_pool_name: null, rs_utm_campaign: null, rs_utm_source: 'google' });
    expect(crm.Deals[0]).toMatchObject({ rs_pool_name: null });
  });

  it('D3: mappings follow renamed telephony parameters (telephony.parameterNames)', async () => {
    const h = harness();
    settings(h, { telephony: { parameterNames: { pool_name: 'project_pool' } }, mappings: { Leads: { pool_name: 'rs_pool_name' } } });
    await endOnly(h, { ...without(incomingCall(h.uniqueCallId()), 'pool_name'), project_pool: 'Partners' });
    const crm = await expectCrm(h, { Leads: 1, Tasks: 1 });
    expect(crm.Leads[0]).toMatchObject({ rs_pool_name: 'Partners' });
    expect(crm.Tasks[0].Description).toContain('Number pool: Partners');
  });
});

describe('D4: pipeline rules', () => {
  const rules = [
    { parameter: 'pool_name', equals: 'Wholesale', pipeline: 'Partners' },
    { parameter: 'pool_name', equals: 'Contextual ads', pipeline: 'New' },
    { parameter: 'utm_source', equals: 'facebook', pipeline: 'Standard', stage: 'Needs Analysis' },
  ];

  it.each([
    ['pool_name = Contextual ads → pipeline New, its first open stage', { pool_name: 'Contextual ads' }, 'New', 'New Request'],
    ['the first matching rule wins', { pool_name: 'Contextual ads', utm_source: 'facebook' }, 'New', 'New Request'],
    ["a rule's own stage", { pool_name: 'SEO', utm_source: 'facebook' }, 'Standard', 'Needs Analysis'],
    ['no rule matches → the default pipeline', { pool_name: 'SEO' }, 'Standard', 'Qualification'],
    ['a rule naming a pipeline the CRM lacks is passed over', { pool_name: 'Wholesale' }, 'Standard', 'Qualification'],
  ])('D4: %s', async (_name, parameters, pipeline, stage) => {
    const h = harness();
    settings(h, { ...everyModule, pipelines: { rules } });
    await endOnly(h, incomingCall(h.uniqueCallId(), parameters));
    const crm = await expectCrm(h, { Leads: 1, Contacts: 1, Deals: 1, Tasks: 1 });
    expect(crm.Deals[0]).toMatchObject({ Pipeline: pipeline, Stage: stage, Contact_Name: expect.objectContaining({ id: crm.Contacts[0].id }) });
  });
});
