/**
 * The Zoho CRM emulator as a process of its own (its command, `zoho-emulator`), so the load generator's event loop
 * does not also serve the worker's Zoho requests: a busy emulator would delay the bench's sends and the moment
 * it sees an answer, and those delays would count as the product's latency.
 */
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { accountsUrl, type RunningEmulator } from '@callmatrix/zoho-emulator';

/** What the emulator CLI logs once it listens (one JSON line). */
interface ListeningLine {
  msg: string;
  url: string;
  apiDomain: string;
  accountsUrl: string;
  clientId: string;
  clientSecret: string;
}

export async function startEmulatorProcess(options: { latencyMs: number }): Promise<{ emulator: RunningEmulator; pid: number }> {
  const child = spawn(
    process.execPath,
    [require.resolve('@callmatrix/zoho-emulator/bin/zoho-emulator'), '--seed', 'empty', '--latency', String(options.latencyMs)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const listening = await new Promise<ListeningLine>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const parsed = JSON.parse(line) as ListeningLine;
        if (parsed.msg === 'zoho emulator listening') resolve(parsed);
      } catch {
        // Not a log line of the emulator's: ignored.
      }
    });
    void exited.then(() => reject(new Error(`the emulator process exited (${child.exitCode}) before it listened`)));
  });
  const emulator: RunningEmulator = {
    url: listening.url,
    apiDomain: listening.apiDomain,
    accountsUrl: listening.accountsUrl,
    accountsUrlFor: (dc) => accountsUrl(listening.url, dc),
    clientId: listening.clientId,
    clientSecret: listening.clientSecret,
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
  return { emulator, pid: child.pid! };
}
