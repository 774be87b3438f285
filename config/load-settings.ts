/**
 * Reads and validates the settings file. Every problem is reported at once, each naming the file, the line (YAML),
 * the field and what is expected: the schema, employees that claim the same code or line (A2) and Zoho fields
 * given two parameters (D3). Whether mapped fields exist and are Strings needs the CRM (app/check-settings.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML, { isMap, isScalar, isSeq, LineCounter, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, fieldOf, PLAIN_WORDS } from './config-error';
import { employeeConflicts, unreadableEmployeePhones } from '../matrix/employees';
import { validateMappingTargets } from '../matrix/validate';
import { employeeSchema, settingsSchema, type Settings } from '../matrix/settings-schema';

type SettingsPath = readonly PropertyKey[];

/** Where a path points in the YAML text, as `line N`; undefined for JSON or a path the document does not have. */
type Locate = (path: SettingsPath, key?: string) => number | undefined;

function yamlLocator(doc: Document, lines: LineCounter): Locate {
  const lineOf = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  return (at, key) => {
    const full = key === undefined ? [...at] : [...at, key];
    // The deepest part of the path the document has: a missing field is reported at the object that lacks it.
    for (let depth = full.length; depth > 0; depth -= 1) {
      const parent = depth === 1 ? doc.contents : doc.getIn(full.slice(0, depth - 1) as unknown[], true);
      const last = full[depth - 1];
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === String(last));
        if (pair) return lineOf(pair.key);
      } else if (isSeq(parent) && typeof last === 'number' && parent.items[last]) {
        return lineOf(parent.items[last]);
      }
    }
    return lineOf(doc.contents);
  };
}

const pathText = (at: SettingsPath): string => fieldOf({ path: at as PropertyKey[] } as z.core.$ZodIssue);

/** Every problem of the file's text, worded `<file>, line N: <field>: <what>`, and the settings when there are none. */
export function checkSettings(text: string, file: string): { settings?: Settings; problems: string[] } {
  const json = file.endsWith('.json');
  let raw: unknown;
  let locate: Locate = () => undefined;
  if (json) {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return { problems: [`${file}: not valid JSON: ${(error as Error).message}`] };
    }
  } else {
    const lines = new LineCounter();
    const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: true });
    if (doc.errors.length) return { problems: doc.errors.map((e) => `${file}: not valid YAML: ${e.message.split('\n')[0]}`) };
    raw = doc.toJS();
    locate = yamlLocator(doc, lines);
  }
  const where = (at: SettingsPath, key?: string) => {
    const line = locate(at, key);
    return `${file}${line ? `, line ${line}` : ''}: ${pathText(at)}`;
  };

  const input = (raw ?? {}) as Record<string, unknown>;
  const parsed = settingsSchema.safeParse(input, { error: PLAIN_WORDS });
  const problems = parsed.success
    ? []
    : parsed.error.issues.flatMap((issue) =>
        issue.code === 'unrecognized_keys'
          ? issue.keys.map((key) => `${where([...issue.path, key])}: unknown field (a typo? the README lists every field)`)
          : [`${where(issue.path)}: ${issue.message}`],
      );

  // The cross-field checks run on whatever is valid by itself (each section, each employee), so they are reported
  // alongside the schema's problems.
  const section = <K extends keyof typeof settingsSchema.shape>(name: K) => {
    const result = settingsSchema.shape[name].safeParse(input && typeof input === 'object' ? input[name] : undefined);
    return result.success ? (result.data as Settings[K]) : undefined;
  };
  const employees = Array.isArray(input.employees) ? input.employees.map((e) => employeeSchema.safeParse(e).data) : [];
  const defaultCountry = section('telephony')?.defaultCountry ?? settingsSchema.parse({}).telephony.defaultCountry;
  for (const problem of [...employeeConflicts(employees, defaultCountry), ...unreadableEmployeePhones(employees, defaultCountry)]) {
    problems.push(`${where(problem.path)}: ${problem.message}`);
  }
  const mappings = section('mappings');
  if (mappings) {
    for (const error of validateMappingTargets({ mappings } as Settings)) {
      problems.push(`${where(['mappings', error.module])}: ${error.message.replace(/^mappings\.\w+: /, '')}`);
    }
  }
  return problems.length || !parsed.success ? { problems } : { settings: parsed.data, problems };
}

export function parseSettings(text: string, file: string): Settings {
  const { settings, problems } = checkSettings(text, file);
  if (!settings) throw new ConfigError(problems.join('\n'));
  return settings;
}

export function readSettingsText(file: string): string {
  try {
    return fs.readFileSync(path.resolve(file), 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the settings file (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

export function loadSettingsFile(file: string): Settings {
  return parseSettings(readSettingsText(file), file);
}
