import type { z } from 'zod';

/**
 * A problem the person running callmatrix can fix, said in words: the CLI prints its message alone, never a stack
 * trace. Subclasses say what kind of problem it is.
 */
export class ActionableError extends Error {
  override name = 'ActionableError';
}

/** A configuration problem, worded for the person who has to fix it: which file or variable, which field, what. */
export class ConfigError extends ActionableError {
  override name = 'ConfigError';
}

/** A command used wrongly (a bad argument or option): not a configuration problem. */
export class UsageError extends ActionableError {
  override name = 'UsageError';
}

/** The field a zod issue points at, as a person writes it: `employees[0].code`. */
export function fieldOf(issue: z.core.$ZodIssue): string {
  if (issue.path.length === 0) return '(root)';
  return issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/**
 * Zod's own wording where it says too little to a person: a missing value is "required" (zod: "expected string,
 * received undefined"), a number that is not one "expected a number" (zod: "received NaN"). Messages a schema gives
 * itself take precedence. Pass it to `safeParse(value, { error: PLAIN_WORDS })`.
 */
export const PLAIN_WORDS: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'required';
  if (issue.expected === 'number' && Number.isNaN(issue.input)) return 'expected a number';
  return undefined;
};

/** One line per issue: `<where the field is>: <message>`, where `locate` names the file or variable and field. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], locate: (field: string, issue: z.core.$ZodIssue) => string): string {
  return issues.map((issue) => `${locate(fieldOf(issue), issue)}: ${issue.message}`).join('\n');
}

/** A listening socket refused because its port is taken, said with the variable that moves it. */
export function portInUse(error: unknown, port: number, variable: string): unknown {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return error;
  return new ConfigError(`port ${port} is already in use (another callmatrix, or another program): stop it, or set ${variable} to a free port`);
}
