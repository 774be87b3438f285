/**
 * Every command's `--help` fits in 80 columns, on a terminal of any width and in a pipe: descriptions are wrapped,
 * and the text a command adds after its options is written within them. Read in this process, as `--help` prints it.
 */
import type { Command } from 'commander';
import { HELP_WIDTH } from '../../cli/callmatrix-command';
import { callmatrixProgram } from '../../cli/program';

function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

/** `callmatrix <command> --help` as printed to stdout whose terminal is `columns` wide (undefined: not a terminal). */
function helpOf(program: Command, command: Command, columns: number | undefined): string {
  let text = '';
  // Not a terminal: undefined, as commander's own default answers for a pipe (its typing says a number).
  program.configureOutput({ writeOut: (chunk) => (text += chunk), getOutHelpWidth: () => columns as number });
  command.outputHelp();
  return text;
}

const program = callmatrixProgram();
const commands = everyCommand(program).map((command) => [command.parent ? `${command.parent.name()} ${command.name()}` : command.name(), command] as const);

it('covers every command, the ones that group others included', () => {
  expect(commands.map(([name]) => name)).toEqual(expect.arrayContaining(['callmatrix', 'callmatrix dry-run', 'activate map', 'calls retry', 'config check']));
});

it.each([
  ['in a pipe', undefined],
  ['on a terminal 200 columns wide', 200],
])('%s, no line of any help is wider than 80 columns', (_where, columns) => {
  const helps = commands.map(([name, command]) => [name, helpOf(program, command, columns)] as const);
  for (const [, help] of helps) expect(help).toMatch(/^Usage: callmatrix/);
  const tooWide = helps.flatMap(([name, help]) =>
    help
      .split('\n')
      .filter((line) => [...line].length > HELP_WIDTH)
      .map((line) => `${name}: ${line}`),
  );
  expect(tooWide).toEqual([]);
});
