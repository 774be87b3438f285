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

/** Listen errors that mean the interface asked for is none of this machine's: a typo, or another host's address. */
const NOT_AN_INTERFACE = new Set(['EADDRNOTAVAIL', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME']);

/** The variable that sets the interface of each listener, by the variable that sets its port. */
const HOST_VARIABLE: Record<string, string> = {
  CALLMATRIX_PORT: 'CALLMATRIX_HOST',
  CALLMATRIX_WORKER_HEALTH_PORT: 'CALLMATRIX_HOST',
  CALLMATRIX_METRICS_PORT: 'CALLMATRIX_METRICS_HOST',
  CALLMATRIX_WORKER_METRICS_PORT: 'CALLMATRIX_METRICS_HOST',
  CALLMATRIX_CODEC_PORT: 'CALLMATRIX_CODEC_HOST',
};

/**
 * A listening socket refused for a reason the person can fix, said with the variable to change: a port that is
 * taken, or an interface that is none of this machine's (which Node reports like an unreachable server, or with a
 * stack trace). Any other error is returned as it is.
 */
export function listenProblem(error: unknown, at: { host: string; port: number }, portVariable: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    return new ConfigError(`port ${at.port} is already in use (another callmatrix, or another program): stop it, or set ${portVariable} to a free port`);
  }
  const hostVariable = HOST_VARIABLE[portVariable];
  if (hostVariable && code && NOT_AN_INTERFACE.has(code)) {
    return new ConfigError(`${at.host} is not an address of this machine (${code}): set ${hostVariable} to one of its interfaces, such as 127.0.0.1, or 0.0.0.0 for all`);
  }
  return error;
}
