/**
 * The Command every `callmatrix` command is made of (commander makes subcommands with `createCommand`), so what
 * they share is set once, here: a usage mistake is a UsageError in one line, naming the option or argument and the
 * `--help` to run, which main.ts prints alone and exits 2 for, where commander would print its error line, then the
 * whole help, and exit 1; help is wrapped to 80 columns; and every command, not only the program, takes `--version`
 * (an operator asked which version runs types it after whatever command they were running).
 */
import { Command, Help, type HelpContext } from 'commander';
import { UsageError } from '../config/config-error';
import { callmatrixVersion } from './system-errors';

/** Help lines are no wider than this, whatever the terminal's width: a narrower terminal wraps them narrower. */
export const HELP_WIDTH = 80;

/** `callmatrix calls retry`: what a person types to run `command`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}

/**
 * A usage mistake's message as printed: on one line (commander puts its "Did you mean" on a second), with the help
 * that lists what the command takes. A message of several lines (the problems of an input, one a line) is not about
 * how the command is used: it keeps its lines, without the hint.
 */
export function usageMessage(command: Command, message: string): string {
  const line = message
    .replace(/^error: /, '')
    .replace(/\s*\n\s*(?=\(Did you mean)/, ' ')
    .replace(/ is invalid\. /, ' is invalid: ')
    .replace(/\.$/, '');
  return line.includes('\n') ? line : `${line}; run \`${commandPath(command)} --help\``;
}

class WrappedHelp extends Help {
  // Commander leaves a description unwrapped when the terms beside it leave it fewer than 40 columns (`map
  // [options] <employee code> [user id]`): wrapped into what is left instead, its lines stay within the width.
  override minWidthToWrap = 24;

  override prepareContext(contextOptions: Parameters<Help['prepareContext']>[0]): void {
    this.helpWidth = Math.min(HELP_WIDTH, this.helpWidth ?? contextOptions.helpWidth ?? HELP_WIDTH);
  }
}

export class CallmatrixCommand extends Command {
  constructor(name?: string) {
    super(name);
    this.version(callmatrixVersion(), '-V, --version', 'print the version of callmatrix');
  }

  override createCommand(name?: string): CallmatrixCommand {
    return new CallmatrixCommand(name);
  }

  override createHelp(): Help {
    return Object.assign(new WrappedHelp(), this.configureHelp());
  }

  /** Every refusal of commander's parser comes here: an unknown option or command, a missing or invalid value. */
  override error(message: string): never {
    throw new UsageError(usageMessage(this, message));
  }

  /** Commander asks for the help as an error when a command that only groups others is given none of them. */
  override help(context?: HelpContext | ((text: string) => string)): never {
    if (typeof context !== 'object' || !context.error) return super.help(context as HelpContext);
    const names = this.commands.map((command) => command.name()).join(', ');
    throw new UsageError(usageMessage(this, `expected a command${this.parent ? ` after '${this.name()}'` : ''}: ${names}`));
  }

  /** The project's own UsageErrors, thrown by an action, get the same hint as commander's refusals. */
  override action(fn: Parameters<Command['action']>[0]): this {
    return super.action(async (...args: unknown[]) => {
      try {
        await fn.apply(this, args);
      } catch (error) {
        throw error instanceof UsageError ? new UsageError(usageMessage(this, error.message)) : error;
      }
    });
  }
}
