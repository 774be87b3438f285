/**
 * #12 item 3: logs are readable in a terminal and JSON lines otherwise, LOG_FORMAT deciding when set. The pretty
 * logger is checked in a child process, writing to its real stdout as `npm start` does.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { logFormat } from '../../config/logger';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

it('is pretty in a terminal and JSON in a pipe, unless LOG_FORMAT says otherwise', () => {
  expect(logFormat(undefined, { isTTY: true })).toBe('pretty');
  expect(logFormat(undefined, { isTTY: false })).toBe('json');
  expect(logFormat(undefined, {})).toBe('json');
  expect(logFormat('json', { isTTY: true })).toBe('json');
  expect(logFormat('pretty', { isTTY: false })).toBe('pretty');
});

it.each([
  ['pretty', (out: string) => expect(out).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: call written\n\s+callId: "42"\n\s+secret: "\[redacted\]"/)],
  ['json', (out: string) => expect(JSON.parse(out)).toMatchObject({ level: 30, msg: 'call written', callId: '42', secret: '[redacted]' })],
])('writes %s lines, secrets redacted', async (format, check) => {
  const script = `require('./config/logger').createLogger('info', '${format}').info({ callId: '42', secret: 's3cret' }, 'call written')`;
  const { stdout } = await run(process.execPath, ['-r', '@swc-node/register', '-e', script], { cwd: ROOT });
  expect(stdout).not.toContain('s3cret');
  check(stdout);
});
