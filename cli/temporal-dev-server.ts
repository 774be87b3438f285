/**
 * Starts the Temporal CLI's dev server as a child process: the embedded default of `npm start` (with its Web UI
 * and a persistent SQLite file) and the server every test suite runs against (headless, in memory). It returns
 * once the server answers and callmatrix's search attributes are registered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import YAML from 'yaml';
import { ensureTemporalCli } from '../scripts/temporal-cli';
import { freeLoopbackPort } from '../observability/free-port';
import { ensureSearchAttributes } from '../temporal/search-attributes';
import { serverDynamicConfig, type DynamicConfigValue } from '../temporal/server-dynamic-config';

export interface DevServerOptions {
  /** gRPC port; 0 picks a free one. */
  port?: number;
  /** Web UI port; undefined runs headless. */
  uiPort?: number;
  /**
   * Codec server the UI decodes payloads with (the codec server's endpoint, its token in the path). Given to the CLI
   * in a file of its own, never in its arguments, which `ps` shows to every user of the machine.
   */
  uiCodecEndpoint?: string;
  /** SQLite file that keeps workflows across restarts; undefined keeps everything in memory. */
  dbFile?: string;
  namespace?: string;
  /** How long to wait for the server to answer. The SDK's own launcher allows 5 s, too little on 2 busy cores. */
  startTimeoutMs?: number;
  /**
   * Server dynamic config (`--dynamic-config-value KEY=JSON`) over production's (deploy/temporal/dynamicconfig.yaml),
   * e.g. a low continue-as-new threshold for recording.
   */
  dynamicConfig?: Record<string, DynamicConfigValue>;
  /** Aborted (Ctrl-C while `npm start` starts): the server is stopped, started or not, and the start fails. */
  signal?: AbortSignal;
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A loopback port free right now, for the dev server's gRPC and UI listeners (observability/free-port.ts). */
export const freePort = freeLoopbackPort;

/** The CLI's environment (its presets of flag values) that carries `--ui-codec-endpoint` in a file instead of argv. */
const CLI_ENVIRONMENT = 'callmatrix';

/**
 * Writes the CLI's environment file: `ui-codec-endpoint` under CLI_ENVIRONMENT, readable by this user only, in a
 * folder of its own. The CLI reads it once, at start (`--env-file`, `--env`), as if the flag had been given.
 */
function writeCodecEndpointFile(endpoint: string): { file: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callmatrix-temporal-ui-'));
  const file = path.join(dir, 'temporal-env.yaml');
  fs.writeFileSync(file, YAML.stringify({ env: { [CLI_ENVIRONMENT]: { 'ui-codec-endpoint': endpoint } } }), { mode: 0o600 });
  return { file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The Temporal CLI's arguments for a dev server on `port`: production's dynamic config, then the options'; with
 * `envFile`, the CLI environment file that holds the UI's codec endpoint.
 */
export function devServerArguments(port: number, options: DevServerOptions = {}, envFile?: string): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', options.namespace ?? 'default'];
  args.push('--log-level', 'error');
  args.push(...(options.uiPort ? ['--ui-port', String(options.uiPort)] : ['--headless']));
  if (envFile) args.push('--env-file', envFile, '--env', CLI_ENVIRONMENT);
  const dynamicConfig = { ...serverDynamicConfig(), ...options.dynamicConfig };
  for (const [key, value] of Object.entries(dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (options.dbFile) args.push('--db-filename', options.dbFile, '--sqlite-pragma', 'journal_mode=WAL');
  return args;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  const cli = ensureTemporalCli();
  const port = options.port || (await freePort());
  const namespace = options.namespace ?? 'default';
  const codecEndpoint = options.uiCodecEndpoint ? writeCodecEndpointFile(options.uiCodecEndpoint) : undefined;
  const args = devServerArguments(port, options, codecEndpoint?.file);

  const child = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  options.signal?.addEventListener('abort', () => child.kill('SIGTERM'), { once: true });
  const address = `127.0.0.1:${port}`;

  try {
    await waitUntilServing(address, namespace, options.startTimeoutMs ?? 60_000, () => child.exitCode !== null);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`Temporal dev server did not start at ${address}: ${(error as Error).message}\n${stderr}`);
  } finally {
    // Read by now (the CLI reads it before it starts serving): the token is left nowhere but in the server's memory.
    codecEndpoint?.remove();
  }

  return {
    address,
    uiUrl: options.uiPort ? `http://127.0.0.1:${options.uiPort}` : undefined,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function waitUntilServing(address: string, namespace: string, timeoutMs: number, died: () => boolean) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (died()) throw new Error('the process exited');
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await connection.workflowService.describeNamespace({ namespace });
        await ensureSearchAttributes(connection, namespace);
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
