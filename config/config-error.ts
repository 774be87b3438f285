import type { z } from 'zod';

/** A configuration problem, worded for the person who has to fix it: which file or variable, which field, what. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The field a zod issue points at, as a person writes it: `employees[0].code`. */
function fieldOf(issue: z.core.$ZodIssue): string {
  if (issue.path.length === 0) return '(root)';
  return issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** One line per issue: `<where the field is>: <message>`, where `locate` names the file or variable and field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], locate: (field: string) => string): string {
  return issues.map((issue) => `${locate(fieldOf(issue))}: ${issue.message}`).join('\n');
}
