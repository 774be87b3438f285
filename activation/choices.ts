/**
 * A2: the admin's choices of senior manager and employee → user mappings, checked against the org's users
 * (`listUsers('AllUsers')`) before they are kept, so a typo or a deactivated user is refused at once. The CLI and
 * the users page use the same checks; the page shows each refusal beside the choice it concerns.
 */
import type { Settings } from '../matrix/settings-schema';
import type { ZohoUser } from '../zoho';
import { ActivationError } from './activate';
import type { ActivationStore } from './credential-store';

function activeUser(users: readonly ZohoUser[], userId: string, field: string): ZohoUser {
  if (!userId) throw new ActivationError(`${field}: choose a user`);
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

/** The user an employee is to be mapped to; undefined (no `userId`) removes the activation's mapping. */
function employeeUser(users: readonly ZohoUser[], settings: Settings, code: string, userId: string | undefined): ZohoUser | undefined {
  if (!userId) return undefined;
  if (!settings.employees.some((e) => e.code === code)) {
    throw new ActivationError(`employee ${code}: the settings file has no employee with this code (codes: ${settings.employees.map((e) => e.code).join(', ') || 'none'})`);
  }
  return activeUser(users, userId, `employee ${code}`);
}

/** Maps an employee of the settings file to a user, or (`userId` undefined) removes the activation's mapping. */
export async function mapEmployee(
  store: ActivationStore,
  users: readonly ZohoUser[],
  settings: Settings,
  code: string,
  userId: string | undefined,
): Promise<ZohoUser | undefined> {
  const user = employeeUser(users, settings, code, userId);
  await store.mapEmployee(code, user?.id);
  return user;
}

/**
 * Several mappings at once (the users page's form), each checked like `mapEmployee`'s. They are kept only when
 * every one is valid, so a form with one wrong choice changes nothing; returns the refusals by employee code
 * (empty when the mappings were kept).
 */
export async function mapEmployees(
  store: ActivationStore,
  users: readonly ZohoUser[],
  settings: Settings,
  choices: ReadonlyMap<string, string | undefined>,
): Promise<Map<string, string>> {
  const mappings = new Map<string, string | undefined>();
  const problems = new Map<string, string>();
  for (const [code, userId] of choices) {
    try {
      mappings.set(code, employeeUser(users, settings, code, userId)?.id);
    } catch (error) {
      if (!(error instanceof ActivationError)) throw error;
      problems.set(code, error.message);
    }
  }
  if (problems.size === 0) await store.mapEmployees(mappings);
  return problems;
}
