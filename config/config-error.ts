import type { z } from 'zod';

/** A configuration problem, worded for the person who has to fix it: which file or variable, which field, what. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Turns zod issues into one line each: `<source>: <field path>: <message>`. */
export function describeIssues(source: string, issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') : '(root)';
      return `${source}: ${field}: ${issue.message}`;
    })
    .join('\n');
}
