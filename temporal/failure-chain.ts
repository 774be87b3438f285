/**
 * A failure as log lines can show it: pino prints an Error under any key but `err` as `{}`, and a Temporal
 * failure's useful part (Zoho's message and the field it names) sits at the end of its cause chain, behind
 * "Activity task failed". Workflow code imports this file: it must stay free of imports.
 */
export interface FailureLink {
  /** The failure's type: the class name, or an application failure's `type` (e.g. ZohoValidationError). */
  type: string;
  message: string;
}

/**
 * Whether `value` is an Error of any realm: a workflow's errors reach the worker's logger from the workflow's own
 * V8 context, where `instanceof Error` is false.
 */
export function isError(value: unknown): value is Error {
  return Object.prototype.toString.call(value) === '[object Error]';
}

/** The failure and its causes, outermost first. */
export function failureChain(error: unknown): FailureLink[] {
  const chain: FailureLink[] = [];
  for (let current: unknown = error; isError(current) && chain.length < 10; current = current.cause) {
    const type = (current as { type?: unknown }).type;
    chain.push({ type: typeof type === 'string' && type ? type : current.name, message: current.message });
  }
  return chain;
}

/** The innermost cause's type and message: what went wrong, rather than where it surfaced. */
export function rootCause(error: unknown): FailureLink | undefined {
  return failureChain(error).at(-1);
}
