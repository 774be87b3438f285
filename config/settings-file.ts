/**
 * Which settings file a command reads when none is named: the same choice for `config check`, `dry-run`, `doctor`,
 * `users` and `activate`, said aloud whenever it is not the user's own file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadSettingsFile } from './load-settings';
import { settingsSchema, type Settings } from '../matrix/settings-schema';

/** Written by `npm start` for the demo CRM, in the data folder. */
export const DEMO_SETTINGS_FILE = 'demo-settings.yaml';
const USER_FILE = 'callmatrix.yaml';
const EXAMPLE_FILE = 'callmatrix.example.yaml';

export interface SettingsFileChoice {
  file: string;
  /** Set when the file is a fallback: what was missing and what is used instead. */
  note?: string;
}

/**
 * The named file, else CALLMATRIX_SETTINGS, else ./callmatrix.yaml, else the demo settings `npm start` wrote, else
 * the example (a fresh clone); undefined when none of these exists.
 */
export function chooseSettingsFile(options: { named?: string; variable?: string; dataDir: string }): SettingsFileChoice | undefined {
  const own = options.named ?? options.variable;
  if (own) return { file: own };
  if (fs.existsSync(USER_FILE)) return { file: USER_FILE };
  const missing = `CALLMATRIX_SETTINGS is unset and there is no ${USER_FILE}`;
  const demo = path.join(options.dataDir, DEMO_SETTINGS_FILE);
  if (fs.existsSync(demo)) return { file: demo, note: `${missing}: using the demo settings \`npm start\` wrote, ${demo}` };
  if (fs.existsSync(EXAMPLE_FILE)) return { file: EXAMPLE_FILE, note: `${missing}: using the example settings, ${EXAMPLE_FILE}` };
  return undefined;
}

export const NO_SETTINGS_FILE = `no settings file: copy ${EXAMPLE_FILE} to ${USER_FILE}, or set CALLMATRIX_SETTINGS (employees are listed there)`;

/** What a command that only reads the settings goes by: the file chosen as above, else the defaults (a fresh clone). */
export function chosenSettings(options: { variable?: string; dataDir: string }): Settings {
  const choice = chooseSettingsFile(options);
  return choice ? loadSettingsFile(choice.file) : settingsSchema.parse({});
}
