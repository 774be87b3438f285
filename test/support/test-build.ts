/**
 * One production build of the current sources per jest run, for the tests that run callmatrix in a process of its
 * own and for test/foundation/production-build.test.ts. Starting `node -r @swc-node/register cli/main.ts` loads
 * SWC and TypeScript and compiles the sources in every child process; the build compiles them once.
 *
 * It is what `npm run build` puts in dist/ (tsconfig.build.json, then scripts/*.js beside the compiled scripts),
 * types unchecked for speed (`npm run typecheck` checks them), in a folder of the repository named for this run:
 * one level under it, like dist/, so the build finds package.json, node_modules and deploy/ as dist/ does, and
 * never dist/ itself, which bin/callmatrix would then run outside the tests. The global setup names the folder;
 * the first test that needs the build makes it, the others wait for it; the global teardown removes it.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const VARIABLE = 'CALLMATRIX_TEST_BUILD';
/** Written into the build folder once the build is complete ("ok") or has failed (the error). */
const OUTCOME = '.outcome';
const WAIT_MS = 180_000;
/** The timeout of a hook that awaits testBuild(): the wait, and the build if this file makes it. */
export const TEST_BUILD_TIMEOUT_MS = WAIT_MS + 10_000;

declare global {
  var __CALLMATRIX_TEST_BUILD__: string | undefined;
}

/** Global setup: names this run's build folder (made when first needed), unless a parent run already did. */
export function nameTestBuild(): void {
  if (process.env[VARIABLE]) return;
  const dir = path.join(ROOT, `.test-build-${crypto.randomBytes(6).toString('hex')}`);
  process.env[VARIABLE] = dir;
  globalThis.__CALLMATRIX_TEST_BUILD__ = dir;
}

/** Global teardown: removes the build folder this run named. */
export function removeTestBuild(): void {
  if (globalThis.__CALLMATRIX_TEST_BUILD__) fs.rmSync(globalThis.__CALLMATRIX_TEST_BUILD__, { recursive: true, force: true });
}

let built: Promise<string> | undefined;

/** The build folder, built by the first caller of the run; long on a busy machine, so call it in a `beforeAll`. */
export function testBuild(): Promise<string> {
  built ??= buildOrWait();
  return built;
}

async function buildOrWait(): Promise<string> {
  const dir = process.env[VARIABLE];
  if (!dir) throw new Error(`the jest global setup did not name the test build (${VARIABLE})`);
  try {
    fs.mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitForBuild(dir);
  }
  try {
    const tsc = require.resolve('typescript/bin/tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', dir, '--noCheck', '--sourceMap', 'false'], { cwd: ROOT, timeout: WAIT_MS });
    const scripts = path.join(ROOT, 'scripts');
    for (const file of fs.readdirSync(scripts).filter((name) => name.endsWith('.js'))) fs.copyFileSync(path.join(scripts, file), path.join(dir, 'scripts', file));
    writeOutcome(dir, 'ok');
    return dir;
  } catch (error) {
    const failed = error as { message: string; stdout?: string };
    writeOutcome(dir, `${failed.message}\n${failed.stdout ?? ''}`);
    throw error;
  }
}

function writeOutcome(dir: string, outcome: string): void {
  // Renamed into place: a waiting test never reads half of it.
  fs.writeFileSync(path.join(dir, `${OUTCOME}.tmp`), outcome);
  fs.renameSync(path.join(dir, `${OUTCOME}.tmp`), path.join(dir, OUTCOME));
}

async function waitForBuild(dir: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const outcome = fs.existsSync(path.join(dir, OUTCOME)) ? fs.readFileSync(path.join(dir, OUTCOME), 'utf8') : undefined;
    if (outcome === 'ok') return dir;
    if (outcome !== undefined) throw new Error(`the test build in ${dir} failed in another test file:\n${outcome}`);
    if (Date.now() > deadline) throw new Error(`the test build in ${dir} was not done after ${WAIT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The files of the build, relative to its folder (its outcome mark left out). */
export function testBuildFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file !== OUTCOME && fs.statSync(path.join(dir, file)).isFile());
}
