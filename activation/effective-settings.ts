/**
 * The settings calls are decided with: the settings file, overridden by the choices the admin made at activation
 * (A2). Both are re-read when they change, so a choice applies to the next call without a restart.
 */
import type { SettingsSource } from '../config/settings-source';
import type { Settings } from '../matrix/settings-schema';
import type { ActivationChoices } from './credential-store';

export interface ChoicesSource {
  choices(): ActivationChoices;
}

/**
 * The activation's senior manager and employee → user mappings win over the file's. An employee left without a
 * Zoho user is dropped, so calls on its lines count as unmapped (M3) and reach the senior manager as a
 * "check the integration settings" task instead of a task with no owner.
 */
export function effectiveSettings(fileSettings: Settings, store: ChoicesSource): Settings {
  const { seniorManagerId, employees } = store.choices();
  return {
    ...fileSettings,
    seniorManager: seniorManagerId ? { zohoUserId: seniorManagerId } : fileSettings.seniorManager,
    employees: fileSettings.employees
      .map((employee) => ({ ...employee, zohoUserId: employees[employee.code] ?? employee.zohoUserId }))
      .filter((employee) => employee.zohoUserId),
  };
}

/** Wraps the file's settings source (`watchedSettings`) for the worker and the shim. */
export function settingsWithActivation(file: SettingsSource, store: ChoicesSource): SettingsSource {
  return () => effectiveSettings(file(), store);
}
