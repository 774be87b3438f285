/**
 * A2: the admin's choices of senior manager and employee → user mappings, checked against the org's users
 * (`listUsers('AllUsers')`) before they are kept, so a typo or a deactivated user is refused at once.
 */
import type { Settings } from '../matrix/settings-schema';
import type { ZohoUser } from '../zoho';
import { ActivationError } from './activate';
import type { ActivationStore } from './credential-store';

function activeUser(users: readonly ZohoUser[], userId: string, field: string): ZohoUser {
  const user = users.find((u) => u.id === userId);
  if (!user) throw new ActivationError(`${field}: ${userId} is not a user of this Zoho CRM org (see \`callmatrix users\`)`);
  if (user.status !== 'active') throw new ActivationError(`${field}: ${user.full_name} (${userId}) is ${user.status}, not active`);
  return user;
}

export async function chooseSeniorManager(store: ActivationStore, users: readonly ZohoUser[], userId: string): Promise<ZohoUser> {
  const user = activeUser(users, userId, 'senior manager');
  await store.chooseSeniorManager(user.id);
  return user;
}

/** Maps an employee of the settings file to a user, or (`userId` undefined) removes the activation's mapping. */
export async function mapEmployee(
  store: ActivationStore,
  users: readonly ZohoUser[],
  settings: Settings,
  code: string,
  userId: string | undefined,
): Promise<ZohoUser | undefined> {
  if (!userId) {
    await store.mapEmployee(code, undefined);
    return undefined;
  }
  if (!settings.employees.some((e) => e.code === code)) {
    throw new ActivationError(`employee ${code}: the settings file has no employee with this code (codes: ${settings.employees.map((e) => e.code).join(', ') || 'none'})`);
  }
  const user = activeUser(users, userId, `employee ${code}`);
  await store.mapEmployee(code, user.id);
  return user;
}
