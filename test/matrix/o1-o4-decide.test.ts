/** The decision sequence the call workflow and `dry-run` share (matrix/decide.ts): O1 before the call, O4 turns. */
import type { CallEvent } from '../../common/call-event';
import { BEFORE_CALL_KEYS } from '../../matrix';
import { afterCallToDecide, beforeCallToDecide, decideAfterCall, decideBeforeCall, type CrmFacts } from '../../matrix/decide';
import type { Settings } from '../../matrix/settings-schema';
import { CLIENT, EMPLOYEES, MARIA, NOBODY, OKSANA, PIPELINES, SENIOR, call, keys, lead, op, owner, settings } from './fixtures';

const event = (moment: CallEvent['moment'], extra: Partial<CallEvent> = {}): CallEvent => ({
  provider: 'ringostat',
  callId: 'c1',
  moment,
  receivedAt: `2025-01-15T12:0${['start', 'answer', 'end'].indexOf(moment)}:00.000Z`,
  direction: 'incoming',
  clientNumber: '098 123 45 67',
  visit: {},
  parameters: {},
  ...extra,
});
const crm = (s: Settings): CrmFacts => ({ settings: s, timeZone: 'Europe/Kyiv', pipelines: PIPELINES, callRecordingField: false });
const missed = call({ outcome: 'missed', talkSeconds: 0, durationSeconds: 40, recordingUrl: undefined, employee: undefined });
/** Maria and Oksana take part in the missed-call distribution (O4). */
const distributing = (overrides: Record<string, unknown> = {}) =>
  settings({ employees: EMPLOYEES.map((employee) => ({ ...employee, missedCallDistribution: employee.code !== '102' })), ...overrides });

describe('the call to decide and its caller lookup', () => {
  it('M17: the ended call is summarised and looked up by its normalised number', () => {
    const { call: facts, lookupQuery } = afterCallToDecide([event('start'), event('end', { outcome: 'missed' })], crm(settings()));
    expect(facts).toMatchObject({ outcome: 'missed', clientPhone: CLIENT });
    expect(lookupQuery).toEqual({ clientPhone: CLIENT, defaultCountry: 'UA', tasksOfRecordsSince: undefined, answeredCallsSince: '2025-01-15T12:02:00.000Z' });
  });

  it('M15: an internal call needs no lookup', () => {
    expect(afterCallToDecide([event('end', { direction: 'internal', outcome: 'answered' })], crm(settings())).lookupQuery).toBeUndefined();
  });
});

describe('before the call (O1)', () => {
  const withO1 = settings({ matrix: { createBeforeCall: true } });

  it('O1: a ringing call with create-before-call on gets the lead and task on the senior manager', () => {
    const ringing = beforeCallToDecide([event('start')], crm(withO1))!;
    expect(ringing.lookupQuery?.clientPhone).toBe(CLIENT);
    const plan = decideBeforeCall(ringing.call, NOBODY, crm(withO1));
    expect(plan).toMatchObject({ scenario: 'before-call', rule: 'O1' });
    expect(keys(plan)).toEqual([BEFORE_CALL_KEYS.lead, BEFORE_CALL_KEYS.task]);
    expect(owner(op(plan, BEFORE_CALL_KEYS.task))).toBe(SENIOR);
  });

  it('O1: nothing before the call when the switch is off or the call has already ended', () => {
    expect(beforeCallToDecide([event('start')], crm(settings()))).toBeUndefined();
    expect(beforeCallToDecide([event('start'), event('end', { outcome: 'missed' })], crm(withO1))).toBeUndefined();
  });

  it('O1: the after-call plan completes the records created before the call', () => {
    const decision = decideAfterCall({ call: missed, lookup: NOBODY, crm: crm(withO1), createdBeforeCall: { leadId: 'L-early', taskId: 'T-early' } });
    expect(decision.plan?.operations.map((o) => o.kind)).toEqual(['update', 'update']);
  });
});

describe('the missed-call round robin (O4)', () => {
  it('O4: a new client\'s missed call needs a turn, and the plan built with it goes to that manager', () => {
    const decision = decideAfterCall({ call: missed, lookup: NOBODY, crm: crm(distributing()) });
    expect(decision.plan).toBeUndefined();
    const plan = decision.withDistributionTurn!(1);
    expect(plan.distribution).toEqual({ turn: 1, employeeCode: '103' });
    expect(owner(op(plan, 'lead'))).toBe(OKSANA);
    expect(owner(op(decision.withDistributionTurn!(2), 'lead'))).toBe(MARIA);
  });

  it('O4: no turn for an existing client, an answered call, an empty pool, or update-existing mode (O2)', () => {
    const noTurn = [
      decideAfterCall({ call: missed, lookup: { leads: [lead()], deals: [], contacts: [] }, crm: crm(distributing()) }),
      decideAfterCall({ call: call(), lookup: NOBODY, crm: crm(distributing()) }),
      decideAfterCall({ call: missed, lookup: NOBODY, crm: crm(settings()) }),
      decideAfterCall({ call: missed, lookup: NOBODY, crm: crm(distributing({ matrix: { mode: 'update-existing' } })) }),
    ];
    for (const decision of noTurn) {
      expect(decision.withDistributionTurn).toBeUndefined();
      expect(decision.plan?.distribution).toBeUndefined();
    }
  });

  it('O4: no turn when the scenario creates nothing for the manager to own (O3 switches all off)', () => {
    const off = distributing({ matrix: { scenarios: { 'missed-new-client': { createLead: false, followUpTask: false } } } });
    const decision = decideAfterCall({ call: missed, lookup: NOBODY, crm: crm(off) });
    expect(decision.plan?.operations).toEqual([]);
  });
});
