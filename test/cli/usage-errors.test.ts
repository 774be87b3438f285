/**
 * A usage mistake, whichever command and whoever notices it (commander's parser or the command itself), is a
 * UsageError (exit 2 in main.ts) of one line naming the option or argument and the `--help` to run: not
 * commander's error line followed by the whole help (exit 1). The command tree is parsed in this process: every
 * mistake here is refused before a command touches the environment, Temporal or Zoho. The exit code itself is
 * checked by spawning the CLI in calls-listing.test.ts.
 */
import { UsageError } from '../../config/config-error';
import { usageMessage } from '../../cli/callmatrix-command';
import { callmatrixProgram } from '../../cli/program';

/** The error `callmatrix <args>` stops with. */
async function refusal(...args: string[]): Promise<unknown> {
  return callmatrixProgram()
    .parseAsync(args, { from: 'user' })
    .then(
      () => undefined,
      (error: unknown) => error,
    );
}

it.each([
  [['calls', '--limit', 'abc'], "option '--limit <n>' argument 'abc' is invalid: expected a whole number of calls, 1 or more; run `callmatrix calls --help`"],
  [['calls', '--bogus'], "unknown option '--bogus'; run `callmatrix calls --help`"],
  [['calls', '--statu', 'failed'], "unknown option '--statu' (Did you mean --status?); run `callmatrix calls --help`"],
  [['calls', '--status', 'lost'], /^option '--status <status>' argument 'lost' is invalid: Allowed choices are .*; run `callmatrix calls --help`$/],
  [['calls', 'show'], "missing required argument 'call id'; run `callmatrix calls show --help`"],
  [['calls', 'extra'], "too many arguments for 'calls'. Expected 0 arguments but got 1; run `callmatrix calls --help`"],
  [['config', 'chek'], "unknown command 'chek' (Did you mean check?); run `callmatrix config --help`"],
  [['config'], "expected a command after 'config': check, schema; run `callmatrix config --help`"],
  [[], /^expected a command: start, worker, .*dry-run; run `callmatrix --help`$/],
  [['backfill'], "required option '--from <time>' not specified; run `callmatrix backfill --help`"],
  [['dry-run', '--event'], "option '--event <json>' argument missing; run `callmatrix dry-run --help`"],
  [['calls', 'retry'], 'calls retry: name the calls to retry, or pass --status failed; run `callmatrix calls retry --help`'],
])('callmatrix %j: one line naming it, and the help to run', async (args, message) => {
  const error = await refusal(...args);
  expect(error).toBeInstanceOf(UsageError);
  if (typeof message === 'string') expect((error as Error).message).toBe(message);
  else expect((error as Error).message).toMatch(message);
});

it('backfill: a --from that is not a time is a usage error naming --from and the formats, not a configuration error', async () => {
  const error = await refusal('backfill', '--from', 'yesterday');
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toBe(
    "option '--from <time>' argument 'yesterday' is invalid: expected a time such as 2026-11-01, \"2026-11-01 08:30\" (UTC) or " +
      '2026-11-01T08:30:00+02:00; run `callmatrix backfill --help`',
  );
  expect(await refusal('backfill', '--from', '2026-11-01', '--to', 'soon')).toMatchObject({ message: expect.stringMatching(/^option '--to <time>' argument 'soon' is invalid/) });
  expect(await refusal('backfill', '--from', '2026-11-02', '--to', '2026-11-01')).toMatchObject({
    name: 'UsageError',
    message: '--to must be after --from (2026-11-02T00:00:00.000Z); run `callmatrix backfill --help`',
  });
});

it('an error of several lines (the problems of an input, one a line) keeps its lines, without the hint', () => {
  const command = callmatrixProgram().commands.find((c) => c.name() === 'dry-run')!;
  expect(usageMessage(command, 'the webhook would be rejected (400):\n  uniqueid: required')).toBe('the webhook would be rejected (400):\n  uniqueid: required');
});
