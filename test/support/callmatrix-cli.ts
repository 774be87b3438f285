/**
 * The `callmatrix` command in a process of its own, as a user or an operator runs it: the one way tests start it.
 * It runs this run's build of the current sources (test-build.ts). `start` also loads SWC's register first: its demo
 * imports the Zoho emulator package, which ships as TypeScript and is never built (bin/callmatrix runs a clone's
 * sources through SWC the same way).
 */
import { execFile, spawn, type ChildProcessByStdio, type ExecFileOptions, type SpawnOptionsWithStdioTuple, type StdioNull, type StdioPipe } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { TEST_BUILD_TIMEOUT_MS, testBuild } from './test-build';

const exec = promisify(execFile);

export interface CallmatrixCli {
  /** Runs `callmatrix <args>` to its end: its output, or a rejection carrying `code`, `stdout` and `stderr` (execFile's). */
  run(args: string[], options?: ExecFileOptions): Promise<{ stdout: string; stderr: string }>;
  /** Starts `callmatrix <args>` with its output piped. */
  spawn(args: string[], options: SpawnOptionsWithStdioTuple<StdioNull, StdioPipe, StdioPipe>): ChildProcessByStdio<null, Readable, Readable>;
}

/** For a test file: the build is waited for in a `beforeAll`, so that no test's own timing includes it. */
export function useCallmatrixCli(): CallmatrixCli {
  let main: string | undefined;
  beforeAll(async () => {
    main = path.join(await testBuild(), 'cli', 'main.js');
  }, TEST_BUILD_TIMEOUT_MS);
  const nodeArguments = (args: string[]): string[] => {
    if (!main) throw new Error('callmatrix is run before its build is ready: run it from a test or a hook after useCallmatrixCli()');
    return [...(args[0] === 'start' ? ['-r', require.resolve('@swc-node/register')] : []), main, ...args];
  };
  return {
    run: (args, options = {}) => exec(process.execPath, nodeArguments(args), { ...options, encoding: 'utf8' }),
    spawn: (args, options) => spawn(process.execPath, nodeArguments(args), options),
  };
}
