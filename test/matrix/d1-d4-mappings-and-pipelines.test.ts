import { placeDeal, planCall, validateMappings, validateMappingTargets, validatePipelineRules, type ZohoFieldMeta } from '../../matrix';
import { PIPELINES, call, input, op, settings } from './fixtures';

const text = (api_name: string): ZohoFieldMeta => ({ api_name, data_type: 'text' });
const LEAD_FIELDS = ['rs_utm_source', 'rs_utm_medium', 'rs_utm_campaign', 'rs_utm_term', 'rs_utm_content', 'rs_google_client_id'].map(text);

describe('D3: per-module mappings', () => {
  const mapped = () =>
    settings({
      mappings: { Leads: { site_form: 'Form_Name' }, Contacts: { pool_name: 'Pool' }, Deals: { pool_name: 'Pool_Name', missing_param: 'Nope' } },
      matrix: { scenarios: { 'answered-new-client': { createContact: true, createDeal: true } } },
    });

  it('D3: each module gets its mapped parameters; parameters the call lacks are left out', () => {
    const plan = planCall(input({ settings: mapped() }));
    expect(op(plan, 'lead').fields).toMatchObject({ Form_Name: 'sofa-quiz' });
    expect(op(plan, 'contact').fields).toMatchObject({ Pool: 'Contextual ads' });
    expect(op(plan, 'deal').fields).toMatchObject({ Pool_Name: 'Contextual ads' });
    expect(op(plan, 'deal').fields).not.toHaveProperty('Nope');
  });

  it('D1/D2: absent UTM values are not written as blanks', () => {
    const plan = planCall(input({ call: call({ visit: {} }) }));
    expect(Object.keys(op(plan, 'lead').fields).filter((field) => field.startsWith('rs_'))).toEqual([]);
  });

  it('D3: a valid configuration gives no errors', () => {
    expect(validateMappings(settings({ mappings: { Leads: { site_form: 'Form_Name' } } }), { Leads: [...LEAD_FIELDS, text('Form_Name')] })).toEqual([]);
  });

  it('D3: two parameters into one field are rejected without CRM metadata', () => {
    const errors = validateMappingTargets(settings({ mappings: { Deals: { pool_name: 'Source_Info', utm_source: 'Source_Info' } } }));
    expect(errors).toEqual([
      {
        module: 'Deals',
        field: 'Source_Info',
        problem: 'several-parameters',
        message: "mappings.Deals: field Source_Info would receive 'pool_name' and 'utm_source'; one Zoho field takes one parameter.",
      },
    ]);
  });

  it('D3: a mapping onto a default field (rs_utm_source) is a second parameter for it', () => {
    const [error] = validateMappingTargets(settings({ mappings: { Leads: { pool_name: 'rs_utm_source' } } }));
    expect(error).toMatchObject({ module: 'Leads', field: 'rs_utm_source', problem: 'several-parameters' });
    expect(error.message).toContain("default parameter for rs_utm_source and 'pool_name'");
  });

  it('D3: the same field name in two modules is fine', () => {
    expect(validateMappingTargets(settings({ mappings: { Contacts: { pool_name: 'Pool' }, Deals: { pool_name: 'Pool' } } }))).toEqual([]);
  });

  it('D3: a target field missing from the module, or not a String field, is named with what to do', () => {
    const errors = validateMappings(settings({ mappings: { Deals: { pool_name: 'Pool', site_form: 'Amount' } } }), {
      Deals: [{ api_name: 'Amount', data_type: 'currency' }],
    });
    expect(errors.map(({ module, field, problem }) => [module, field, problem])).toEqual([
      ['Deals', 'Pool', 'missing'],
      ['Deals', 'Amount', 'not-string'],
    ]);
    expect(errors[0].message).toBe(
      "Deals: field Pool does not exist (receives 'pool_name'); create it as a String field in Zoho CRM (Setup › Modules and Fields › Deals).",
    );
    expect(errors[1].message).toContain("is of type 'currency', not String");
  });

  it('D2/A3: the six Lead custom fields must exist and be String', () => {
    const errors = validateMappings(settings(), { Leads: [...LEAD_FIELDS.slice(2), { api_name: 'rs_utm_medium', data_type: 'picklist' }] });
    expect(errors.map(({ field, problem }) => [field, problem])).toEqual([
      ['rs_utm_source', 'missing'],
      ['rs_utm_medium', 'not-string'],
    ]);
  });
});

describe('D4: pipeline rules', () => {
  const rules = (list: unknown[]) => settings({ pipelines: { rules: list } });

  it('D4: the first matching rule wins, in its first open stage', () => {
    const placement = placeDeal(
      rules([
        { parameter: 'utm_source', equals: 'facebook', pipeline: 'Standard' },
        { parameter: 'pool_name', equals: 'Contextual ads', pipeline: 'New' },
        { parameter: 'utm_source', equals: 'google', pipeline: 'Standard' },
      ]),
      { pool_name: 'Contextual ads', utm_source: 'google' },
      PIPELINES,
    );
    expect(placement).toEqual({ pipeline: 'New', stage: 'First contact', reason: "pipeline rule 2: pool_name = 'Contextual ads'" });
  });

  it("D4: a rule's own stage is used", () => {
    expect(placeDeal(rules([{ parameter: 'pool_name', equals: 'Contextual ads', pipeline: 'New', stage: 'Offer' }]), { pool_name: 'Contextual ads' }, PIPELINES))
      .toMatchObject({ pipeline: 'New', stage: 'Offer' });
  });

  it('D4: no matching rule → the default pipeline', () => {
    expect(placeDeal(rules([{ parameter: 'pool_name', equals: 'SEO', pipeline: 'New' }]), { pool_name: 'Contextual ads' }, PIPELINES)).toEqual({
      pipeline: 'Standard',
      stage: 'Qualification',
      reason: 'no pipeline rule matched: default pipeline',
    });
  });

  it('D4: a rule naming a pipeline the CRM lacks is passed over; no pipelines at all → no placement', () => {
    const settingsWithGhost = rules([{ parameter: 'pool_name', equals: 'Contextual ads', pipeline: 'Ghost' }]);
    expect(placeDeal(settingsWithGhost, { pool_name: 'Contextual ads' }, PIPELINES)?.pipeline).toBe('Standard');
    expect(placeDeal(settingsWithGhost, { pool_name: 'Contextual ads' }, [])).toBeUndefined();
  });

  it('D4: the deal the matrix creates goes where the rules say', () => {
    const plan = planCall(input({
      settings: settings({
        pipelines: { rules: [{ parameter: 'pool_name', equals: 'Contextual ads', pipeline: 'New' }] },
        matrix: { scenarios: { 'answered-new-client': { createDeal: true } } },
      }),
    }));
    expect(op(plan, 'deal').fields).toMatchObject({ Pipeline: 'New', Stage: 'First contact' });
    expect(plan.explanation.join('\n')).toContain("D4: the deal goes to pipeline 'New', stage 'First contact' (pipeline rule 1");
  });

  it('D4: without pipelines in the CRM no deal is created, and the plan says why', () => {
    const plan = planCall(input({ pipelines: [], settings: settings({ matrix: { scenarios: { 'answered-new-client': { createDeal: true } } } }) }));
    expect(plan.operations.map((operation) => operation.module)).toEqual(['Leads', 'Tasks']);
    expect(plan.explanation.join('\n')).toContain('no deal is created');
  });

  it('D4: start-up validation names unknown pipelines and stages that are not open', () => {
    expect(validatePipelineRules(rules([
      { parameter: 'pool_name', equals: 'A', pipeline: 'Ghost' },
      { parameter: 'pool_name', equals: 'B', pipeline: 'New', stage: 'Closed Won' },
      { parameter: 'pool_name', equals: 'C', pipeline: 'New', stage: 'Offer' },
    ]), PIPELINES)).toEqual([
      "pipelines.rules[0]: the CRM has no pipeline 'Ghost' (it has: Standard, New).",
      "pipelines.rules[1]: 'Closed Won' is not an open stage of pipeline 'New' (open stages: First contact, Offer).",
    ]);
  });
});
