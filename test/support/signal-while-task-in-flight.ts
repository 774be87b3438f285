/**
 * Makes a race with Temporal deterministic: a signal that reaches the server while one of a workflow's tasks is in
 * flight. The worker runs the call-outcome sink after a workflow task's commands are computed and before it sends
 * them, in its own thread (@temporalio/worker, `processSinkCalls`); the sink logs the outcome. This logger runs a
 * second process that sends the signal, synchronously, when the line it is armed for is written — so the task's
 * completion waits until the signal is in the workflow's history.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { SignalRequest } from './signal-from-another-process';

export interface LogLine {
  msg: string;
  workflowId?: string;
}

export interface SignalWhileTaskInFlight {
  /** The harness's logger (silent otherwise). */
  logger: Logger;
  /** Sends `request` once, when the first line `when` accepts is written; `sent()` says whether it was. */
  arm(when: (line: LogLine) => boolean, request: SignalRequest): { sent(): boolean };
}

export function signalWhileTaskInFlight(): SignalWhileTaskInFlight {
  let armed: { when: (line: LogLine) => boolean; request: SignalRequest; sent: boolean } | undefined;
  const destination = {
    write(text: string) {
      if (!armed || armed.sent || !armed.when(JSON.parse(text) as LogLine)) return;
      armed.sent = true;
      const child = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'signal-from-another-process.ts'), JSON.stringify(armed.request)], {
        cwd: path.join(__dirname, '..', '..'),
        encoding: 'utf8',
        timeout: 20_000,
      });
      if (child.status !== 0) throw new Error(`the signal was not sent: ${child.stderr || child.error?.message}`);
    },
  };
  return {
    logger: pino({ level: 'info' }, destination),
    arm(when, request) {
      const current = { when, request, sent: false };
      armed = current;
      return { sent: () => current.sent };
    },
  };
}
