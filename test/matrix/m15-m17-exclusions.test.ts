import { planCall, planCallStart } from '../../matrix';
import { call, input } from './fixtures';

describe('calls left alone', () => {
  it('M15: an internal call is not sent to the CRM', () => {
    const plan = planCall(input({ call: call({ direction: 'internal', clientNumberRaw: '102', clientPhone: null }) }));
    expect(plan).toMatchObject({ scenario: 'internal', rule: 'M15', operations: [] });
  });

  it("M15: an 'incoming' call from another employee's extension is internal", () => {
    const plan = planCall(input({ call: call({ clientNumberRaw: '102', clientPhone: null }) }));
    expect(plan).toMatchObject({ scenario: 'internal', rule: 'M15', operations: [] });
    expect(plan.explanation[0]).toContain('Taras Bondarenko');
  });

  it("M15: an 'incoming' call from another employee's phone number is internal", () => {
    const plan = planCall(input({ call: call({ clientNumberRaw: '+380671110001', clientPhone: '+380671110001' }) }));
    expect(plan.rule).toBe('M15');
  });

  it('M15: internal calls create nothing before the call either (O1)', () => {
    const start = planCallStart({ ...input({ call: call({ direction: 'internal' }) }) });
    expect(start).toMatchObject({ rule: 'M15', operations: [] });
  });

  it('M17: a hidden or unreadable client number creates nothing: no phone-less duplicates', () => {
    const plan = planCall(input({ call: call({ clientNumberRaw: 'anonymous', clientPhone: null }) }));
    expect(plan).toMatchObject({ scenario: 'no-client-number', rule: 'M17', operations: [] });
    expect(plan.explanation[0]).toContain('anonymous');
  });
});
