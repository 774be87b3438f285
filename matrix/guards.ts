/** Calls the matrix leaves alone, before and after the call: internal calls (M15) and calls without a client number. */
import type { Settings } from './settings-schema';
import { resolveEmployee } from './employees';
import type { CallStartFacts } from './input';
import type { CallPlan } from './plan';

export function leaveAlone(call: CallStartFacts, settings: Settings): CallPlan | undefined {
  if (call.direction === 'internal') {
    return { scenario: 'internal', rule: 'M15', operations: [], explanation: ['M15: internal call between employees: nothing is sent to the CRM.'] };
  }
  // Some PBXs report a manager-to-manager call as incoming from the other manager's SIP or extension.
  const raw = call.clientNumberRaw ?? call.clientPhone;
  const colleague = raw ? resolveEmployee({ phone: raw, sipLogin: raw, extension: raw }, settings.employees, settings.telephony.defaultCountry) : undefined;
  if (colleague?.kind === 'mapped') {
    return {
      scenario: 'internal',
      rule: 'M15',
      operations: [],
      explanation: [`M15: the other party (${raw}) is employee ${colleague.employee.name}: an internal call, nothing is sent to the CRM.`],
    };
  }
  if (!call.clientPhone) {
    return {
      scenario: 'no-client-number',
      rule: 'M17',
      operations: [],
      explanation: [
        `The client's number (${call.clientNumberRaw ?? 'hidden'}) is not a phone number: nobody can be looked up or called back, ` +
          'and a lead without a phone would be a duplicate no search could ever find (M17), so nothing is written.',
      ],
    };
  }
  return undefined;
}
