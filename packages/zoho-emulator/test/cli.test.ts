import axios from 'axios';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/** The package's command, as `npx zoho-emulator` runs it. */
const BIN = path.join(__dirname, '../bin/zoho-emulator');
const node = (args: string[]) => [BIN, ...args];

describe('emulator: command line', () => {
  it('documents its options', () => {
    const result = spawnSync(process.execPath, node(['--help']), { encoding: 'utf8' });
    expect(result.status).toBe(0);
    for (const option of ['--port', '--dc', '--edition', '--latency']) expect(result.stdout).toContain(option);
  });

  it('starts and prints its URLs as one JSON log line', async () => {
    const child = spawn(process.execPath, node(['--port', '0', '--dc', 'eu', '--edition', 'free']), { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve) => readline.createInterface({ input: child.stdout }).once('line', resolve));
      const info = JSON.parse(line) as { url: string; apiDomain: string; accountsUrl: string; clientId: string };
      expect(info.apiDomain).toBe(`${info.url}/zohoapis/eu`);
      expect(info.accountsUrl).toBe(`${info.url}/accounts/eu`);
      const state = await axios.get(`${info.url}/__emulator/state`);
      expect(state.data.concurrency.limit).toBe(5);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
