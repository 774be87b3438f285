/**
 * The settings as they are now: re-read when the file changes, so new calls use new mappings and employees
 * without a restart. An edit is taken up only once it is valid: the file's own checks, then `vet` (the mappings
 * against the CRM's fields, as at worker start). A refused edit is logged and the last good settings stay.
 */
import fs from 'node:fs';
import type { Logger } from 'pino';
import { loadSettingsFile } from './load-settings';
import type { Settings } from '../matrix/settings-schema';

export type SettingsSource = () => Settings;

/** Throws (a ConfigError naming the file and field) when settings must not be used. */
export type SettingsVet = (settings: Settings) => Promise<void>;

export function watchedSettings(file: string, logger: Logger, vet?: SettingsVet): SettingsSource {
  let current = loadSettingsFile(file);
  let seenMtime = fs.statSync(file).mtimeMs;
  let checkedAt = Date.now();
  /** Counts edits, so a slow vet of an older edit never replaces the settings of a newer one. */
  let edit = 0;
  const refuse = (error: unknown) =>
    logger.error({ file, problem: (error as Error).message ?? String(error) }, 'settings file changed but is invalid; keeping the previous settings');
  return () => {
    if (Date.now() - checkedAt < 1_000) return current;
    checkedAt = Date.now();
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (mtime === seenMtime) return current;
      seenMtime = mtime;
      const candidate = loadSettingsFile(file);
      const thisEdit = ++edit;
      const adopt = () => {
        if (thisEdit !== edit) return;
        current = candidate;
        logger.info({ file }, 'settings reloaded');
      };
      if (vet) void vet(candidate).then(adopt, refuse);
      else adopt();
    } catch (error) {
      refuse(error);
    }
    return current;
  };
}
