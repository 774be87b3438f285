/** Reads and validates the settings file; every error names the file, the field and what is expected. */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError, describeIssues } from './config-error';
import { validateMappingTargets } from '../matrix/validate';
import { settingsSchema, type Settings } from '../matrix/settings-schema';

export function parseSettings(text: string, file: string): Settings {
  let raw: unknown;
  try {
    raw = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(`${file}: not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  const parsed = settingsSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error.issues, (field) => `${file}: ${field}`));
  // D3: one Zoho field takes one parameter; whether the field exists and is a String needs the CRM (worker start).
  const mappingErrors = validateMappingTargets(parsed.data);
  if (mappingErrors.length) throw new ConfigError(mappingErrors.map((e) => `${file}: ${e.message}`).join('\n'));
  return parsed.data;
}

export function loadSettingsFile(file: string): Settings {
  const resolved = path.resolve(file);
  let text: string;
  try {
    text = fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the settings file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  return parseSettings(text, file);
}
