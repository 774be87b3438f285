/**
 * `--version` (and `-V`) prints callmatrix's version on every command, as `--help` works on every command: an
 * operator asked "which version runs here?" types it after whatever command they were running. Before, only the
 * program itself took it: `callmatrix calls --version` was an unknown option (exit 2), and `backfill --version` asked
 * for `--from`. Each command is run in a process of its own, as a person runs it; the list of commands is read from
 * the program, so a command added later is covered too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { callmatrixProgram } from '../../cli/program';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const cli = useCallmatrixCli();
const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };

/** Every command as typed after `callmatrix`: `[]`, `['calls']`, `['calls', 'show']` … (commander's `help` aside). */
function commandPaths(command: Command, above: string[] = []): string[][] {
  return [above, ...command.commands.filter((sub) => sub.name() !== 'help').flatMap((sub) => commandPaths(sub, [...above, sub.name()]))];
}

const paths = commandPaths(callmatrixProgram());

it('covers the program and the commands that take arguments, required options or other commands', () => {
  expect(paths).toEqual(expect.arrayContaining([[], ['backfill'], ['calls'], ['calls', 'show'], ['activate', 'map'], ['config', 'check']]));
});

/**
 * `--version` on every command; `-V`, registered with it in one place (cli/callmatrix-command.ts), on the program, a
 * command with a required option and a nested one: each command is a process of its own, seconds of CPU in all.
 */
it.each([
  ['--version', paths],
  ['-V', [[], ['backfill'], ['calls', 'show']]],
])('`callmatrix <command> %s` prints the version and exits 0', async (flag, commands) => {
  const outcomes = await Promise.all(
    commands.map(async (words) => {
      const command = ['callmatrix', ...words, flag].join(' ');
      try {
        const { stdout, stderr } = await cli.run([...words, flag], { env: { PATH: process.env.PATH, HOME: process.env.HOME }, timeout: 60_000 });
        return { command, code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { command, code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    }),
  );
  expect(outcomes.filter((o) => o.code !== 0 || o.stdout !== `${version}\n` || o.stderr !== '')).toEqual([]);
});
