/**
 * The routing decision (S1–S3): walk the modules in priority order and route to the first record whose owner is a
 * configured employee with a destination; otherwise tell the telephony to continue its own scheme.
 */
import type { DestinationKind, Employee, RoutingModule } from '../../matrix/settings-schema';
import type { OwnersByModule } from './owner-lookup';

export type ContinueReason =
  | 'integration-broken'
  /** No caller number in the request, or not a phone number (hidden number, SIP). */
  | 'no-caller'
  | 'not-found'
  /** Records were found, but none is owned by a configured employee (S3). */
  | 'owner-not-employee'
  /** The owner is an employee, but has none of the identifier kinds the answer may carry. */
  | 'no-destination'
  | 'deadline'
  | 'zoho-error'
  /** The source used up its lookups of the minute (CALLMATRIX_ROUTING_LOOKUPS_PER_MINUTE): Zoho is not asked. */
  | 'rate-limited';

export type RoutingDecision =
  | { action: 'route'; module: RoutingModule; employee: Employee; destination: string }
  | { action: 'continue'; reason: ContinueReason };

export const continueWith = (reason: ContinueReason): RoutingDecision => ({ action: 'continue', reason });

function destinationOf(employee: Employee, kinds: readonly DestinationKind[]): string | undefined {
  for (const kind of kinds) {
    const value = employee[kind].find((identifier) => identifier.trim().length > 0);
    if (value) return value.trim();
  }
  return undefined;
}

/**
 * Awaits the modules one by one in priority order; the lookups already run in parallel, so a match in the first
 * module answers without waiting for the slower ones. A record owned by someone who is not an employee (say the
 * senior manager, who owns missed-call leads) is passed over for the next one.
 */
export async function decideRoute(
  owners: OwnersByModule,
  priority: readonly RoutingModule[],
  employees: readonly Employee[],
  destinationKinds: readonly DestinationKind[],
): Promise<RoutingDecision> {
  let fallback: ContinueReason = 'not-found';
  for (const module of priority) {
    for (const ownerId of (await owners.get(module)) ?? []) {
      const employee = employees.find((candidate) => candidate.zohoUserId === ownerId);
      const destination = employee && destinationOf(employee, destinationKinds);
      if (employee && destination) return { action: 'route', module, employee, destination };
      if (fallback !== 'no-destination') fallback = employee ? 'no-destination' : 'owner-not-employee';
    }
  }
  return continueWith(fallback);
}
