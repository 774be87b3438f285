/**
 * The rows of the matrix: which scenario a call is, the actions SPEC recommends for it (M1–M14), and the admin's
 * per-scenario switches over them (O3).
 */
import type { Scenario, ScenarioActions, Settings } from './settings-schema';
import type { CallerKind } from './caller';
import type { CallFacts } from './input';
import type { RuleId } from './plan';

export type Actions = Required<ScenarioActions>;

const NOTHING: Actions = { createLead: false, createDeal: false, createContact: false, completedTask: false, followUpTask: false, callRecord: false };
/** Every call the matrix handles is logged in the Calls module (C1), unless switched off. */
const LOGGED: Actions = { ...NOTHING, callRecord: true };

/**
 * The recommended matrix. `completedTask` is the task for the employee on the call; `followUpTask` is the open
 * task for someone else: the review by the responsible manager (M5, M7) or the callback (M8, M9, M13, M14);
 * `callRecord` the call's record in the Calls module (C1).
 */
export const RECOMMENDED_ACTIONS: Record<Scenario, Actions> = {
  'answered-new-client': { ...LOGGED, createLead: true, completedTask: true }, // M1, M2
  'answered-open-lead-or-deal': { ...LOGGED, completedTask: true, followUpTask: true }, // M4, M5
  'answered-contact-only': { ...LOGGED, createLead: true, completedTask: true, followUpTask: true }, // M6, M7
  'missed-existing-client': { ...LOGGED, followUpTask: true }, // M8
  'missed-new-client': { ...LOGGED, createLead: true, followUpTask: true }, // M9
  'outgoing-open-lead-or-deal': { ...LOGGED, completedTask: true }, // M10
  'outgoing-unknown': NOTHING, // M11
  'outgoing-contact-only': { ...LOGGED, completedTask: true }, // M12
  'voicemail-new-client': { ...LOGGED, createLead: true, followUpTask: true }, // M13
  'voicemail-existing-client': { ...LOGGED, followUpTask: true }, // M14
};

/** The rule that names each scenario when the employee on the call is its responsible manager. */
export const SCENARIO_RULES: Record<Scenario, RuleId> = {
  'answered-new-client': 'M1',
  'answered-open-lead-or-deal': 'M4',
  'answered-contact-only': 'M6',
  'missed-existing-client': 'M8',
  'missed-new-client': 'M9',
  'outgoing-open-lead-or-deal': 'M10',
  'outgoing-unknown': 'M11',
  'outgoing-contact-only': 'M12',
  'voicemail-new-client': 'M13',
  'voicemail-existing-client': 'M14',
};

/** Internal calls are not classified here: they never reach the matrix (M15). */
export function classifyCall(call: CallFacts, client: CallerKind): Scenario {
  if (call.direction === 'outgoing') {
    return ({ new: 'outgoing-unknown', 'open-lead-or-deal': 'outgoing-open-lead-or-deal', 'contact-only': 'outgoing-contact-only' } as const)[client];
  }
  if (call.outcome === 'answered') {
    return ({ new: 'answered-new-client', 'open-lead-or-deal': 'answered-open-lead-or-deal', 'contact-only': 'answered-contact-only' } as const)[client];
  }
  const existing = client !== 'new';
  if (call.outcome === 'voicemail') return existing ? 'voicemail-existing-client' : 'voicemail-new-client';
  return existing ? 'missed-existing-client' : 'missed-new-client';
}

/**
 * The recommended actions with the global Calls switch (C1) and the admin's per-scenario switches (O3) applied; a
 * switch left out keeps the recommendation.
 */
export function actionsFor(scenario: Scenario, settings: Settings): Actions {
  const switches = Object.entries(settings.matrix.scenarios[scenario] ?? {}).filter(([, value]) => value !== undefined);
  return { ...defaultActions(scenario, settings), ...Object.fromEntries(switches) };
}

function defaultActions(scenario: Scenario, settings: Settings): Actions {
  const recommended = RECOMMENDED_ACTIONS[scenario];
  return { ...recommended, callRecord: recommended.callRecord && settings.matrix.callRecords };
}

/** Lists the switches that differ from the defaults, for the explanation. */
export function describeSwitches(scenario: Scenario, actions: Actions, settings: Settings): string | undefined {
  const defaults = defaultActions(scenario, settings);
  const changed = (Object.keys(actions) as (keyof Actions)[]).filter((name) => actions[name] !== defaults[name]);
  return changed.length > 0 ? `O3: scenario switches change ${changed.map((name) => `${name} → ${actions[name]}`).join(', ')}.` : undefined;
}
