/**
 * For a long-lived workflow (a callers' shard, the missed-call round robin): whether a worker asked it to continue
 * as new (`startNewRunSignal`, sent at every worker's start: after a key rotation, the next run's history holds
 * only that worker's keys' payloads). Sets the signal's handler; call once, at the workflow's start.
 */
import { setHandler } from '@temporalio/workflow';
import { startNewRunSignal } from '../temporal/contracts';

export function newRunAsked(): () => boolean {
  let asked = false;
  setHandler(startNewRunSignal, () => {
    asked = true;
  });
  return () => asked;
}
