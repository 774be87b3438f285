/**
 * The Temporal server's dynamic config callmatrix runs with, kept in one file: `deploy/temporal/dynamicconfig.yaml`.
 * docker-compose mounts it into the production server; the dev server of `npm start`, the tests and the benches
 * gets the same values as `--dynamic-config-value` flags, so what is measured is what is deployed.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';

export type DynamicConfigValue = string | number | boolean;

const RELATIVE_PATH = path.join('deploy', 'temporal', 'dynamicconfig.yaml');

/** The file next to the sources, or one level up from the build in dist/. */
export function serverDynamicConfigPath(): string {
  const candidates = [path.resolve(__dirname, '..', RELATIVE_PATH), path.resolve(__dirname, '..', '..', RELATIVE_PATH)];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) throw new Error(`the Temporal server's dynamic config is missing: expected ${candidates[0]}`);
  return found;
}

/**
 * Each key's value. A command-line flag cannot carry a constraint (a namespace, a task queue), so the file holds
 * one unconstrained value per key, and anything else is refused with the key named.
 */
export function serverDynamicConfig(file = serverDynamicConfigPath()): Record<string, DynamicConfigValue> {
  const parsed: unknown = YAML.parse(fs.readFileSync(file, 'utf8')) ?? {};
  const values: Record<string, DynamicConfigValue> = {};
  for (const [key, entries] of Object.entries(parsed as Record<string, unknown>)) {
    const only = Array.isArray(entries) && entries.length === 1 ? (entries[0] as { value?: unknown; constraints?: unknown }) : undefined;
    const value = only?.value;
    if (!only || only.constraints !== undefined || !['string', 'number', 'boolean'].includes(typeof value)) {
      throw new Error(`${file}: ${key} must be a list of one entry with a plain \`value\` and no \`constraints\``);
    }
    values[key] = value as DynamicConfigValue;
  }
  return values;
}
