/**
 * The settings as they are now: re-read when the file changes, so new calls use new mappings and employees
 * without a restart. A broken edit keeps the last good settings and logs why.
 */
import fs from 'node:fs';
import type { Logger } from 'pino';
import { loadSettingsFile } from './load-settings';
import type { Settings } from '../matrix/settings-schema';

export type SettingsSource = () => Settings;

export function watchedSettings(file: string, logger: Logger): SettingsSource {
  let current = loadSettingsFile(file);
  let seenMtime = fs.statSync(file).mtimeMs;
  let checkedAt = Date.now();
  return () => {
    if (Date.now() - checkedAt < 1_000) return current;
    checkedAt = Date.now();
    try {
      const mtime = fs.statSync(file).mtimeMs;
      if (mtime !== seenMtime) {
        seenMtime = mtime;
        current = loadSettingsFile(file);
        logger.info({ file }, 'settings reloaded');
      }
    } catch (error) {
      logger.error({ err: error, file }, 'settings file changed but is invalid; keeping the previous settings');
    }
    return current;
  };
}
