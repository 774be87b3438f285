/** The `callmatrix` command line: runs the command asked for, and says in words what stopped it (README "Exit codes"). */
import { ActionableError, ConfigError, UsageError } from '../config/config-error';
import { describeSystemError, namespaceProblem } from './system-errors';
import { callmatrixProgram } from './program';

callmatrixProgram()
  .parseAsync()
  .catch((thrown: unknown) => {
    const error = namespaceProblem(thrown);
    if (error instanceof ConfigError) {
      process.stderr.write(`callmatrix: configuration error\n${error.message}\n`);
      process.exit(2);
    }
    // What a person can act on is said in words; only the unexpected (a bug) keeps its stack trace.
    const message = error instanceof ActionableError ? error.message : describeSystemError(error);
    process.stderr.write(`callmatrix: ${message ?? (error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  });
