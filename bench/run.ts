/**
 * `npm run bench [-- name…]`: runs the bench modules (`bench/*.bench.ts`) one after the other, all of them or the
 * ones named, on this one machine. Progress goes to stderr while they run; at the end stdout gets one table per
 * bench and a PASS/FAIL line per stated target. The Temporal dev server some benches need is started once, on
 * first use, and stopped here.
 *
 * A bench module exports `run(report)` and calls `report(row)` once per table row. Rows with the same columns in a
 * row form one table. A row states a target with a `target` column and either a `met` column (`yes`/`NO`) or a
 * numeric `value` and a target of the form `>= N`, `<= N` or `N`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stopSharedTemporal, useExistingTemporal } from './support/temporal';
import { progress, type Report } from './support/report';

type Row = Record<string, string | number>;

interface BenchOutcome {
  name: string;
  rows: Row[];
  seconds: number;
  error?: string;
}

const DEFAULT_TIMEOUT_MINUTES = 15;

const USAGE = `usage: npm run bench [-- [options] [name…]]

Runs the benchmarks in bench/*.bench.ts in sequence (all, or the ones named) on this machine: each starts what
it needs (Temporal dev server, Zoho CRM emulator, worker, webhook shim) and stops it. Progress goes to stderr; the
tables and one PASS/FAIL line per stated target go to stdout at the end.

options:
  --list             list the benchmarks and exit
  --timeout <min>    give up after this many minutes (default ${DEFAULT_TIMEOUT_MINUTES}); what was measured is still printed
  --temporal <addr>  run against the Temporal cluster at host:port (its default namespace) instead of starting
                     the dev server, e.g. the docker-compose one; the search attributes are registered if missing
  -h, --help         this help

exit status: 0 when every bench ran and every target passed, 1 otherwise.
`;

function benchNames(): string[] {
  return fs
    .readdirSync(__dirname)
    .filter((file) => file.endsWith('.bench.ts'))
    .map((file) => file.slice(0, -'.bench.ts'.length))
    .sort();
}

function parseArguments(argv: string[]): { names: string[]; timeoutMinutes: number } {
  const available = benchNames();
  const names: string[] = [];
  let timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(USAGE + `\nbenchmarks: ${available.join(', ')}\n`);
      process.exit(0);
    } else if (arg === '--list') {
      process.stdout.write(available.join('\n') + '\n');
      process.exit(0);
    } else if (arg === '--temporal') {
      const address = argv[++i];
      if (!address || !/^[^\s:]+:\d+$/.test(address)) fail(`--temporal: expected host:port, got ${address ?? 'nothing'}`);
      useExistingTemporal(address);
    } else if (arg === '--timeout') {
      timeoutMinutes = Number(argv[++i]);
      if (!(timeoutMinutes > 0)) fail(`--timeout: expected a number of minutes, got ${argv[i]}`);
    } else if (arg.startsWith('-')) {
      fail(`unknown option ${arg}`);
    } else {
      const name = arg.replace(/\.bench(\.ts)?$/, '').replace(/^.*\//, '');
      if (!available.includes(name)) fail(`unknown benchmark "${arg}"; there are: ${available.join(', ')}`);
      names.push(name);
    }
  }
  return { names: names.length > 0 ? names : available, timeoutMinutes };
}

function fail(message: string): never {
  process.stderr.write(`bench: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Groups consecutive rows with the same columns, so one bench can report several tables. */
function tables(rows: Row[]): Row[][] {
  const groups: Row[][] = [];
  let key = '';
  for (const row of rows) {
    const rowKey = Object.keys(row).join('\u0000');
    if (rowKey !== key || groups.length === 0) groups.push([]);
    groups[groups.length - 1].push(row);
    key = rowKey;
  }
  return groups;
}

function formatTable(rows: Row[]): string {
  const columns = Object.keys(rows[0]);
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? '')));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i].length)));
  const numeric = columns.map((column) => rows.every((row) => typeof row[column] === 'number' || row[column] === '-'));
  const line = (values: string[]) =>
    values.map((value, i) => (numeric[i] ? value.padStart(widths[i]) : value.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

/** PASS/FAIL of a row that states a target, or undefined when it states none. */
function verdict(row: Row): boolean | undefined {
  const target = row.target;
  if (target === undefined || target === '-' || target === '') return undefined;
  if (typeof row.met === 'string' && row.met !== '-') return ['yes', 'pass', 'true'].includes(row.met.toLowerCase());
  if (typeof row.value !== 'number') return undefined;
  const text = String(target);
  const match = /^\s*(>=|<=|=)?\s*(-?[\d.]+)/.exec(text);
  if (!match) return undefined;
  const bound = Number(match[2]);
  if (match[1] === '>=') return row.value >= bound;
  if (match[1] === '<=') return row.value <= bound;
  return row.value === bound;
}

function describe(row: Row): string {
  const columns = Object.keys(row).filter((column) => column !== 'target' && column !== 'met');
  const first = `${row[columns[0]]}`;
  const measured = columns
    .slice(1)
    .filter((column) => column === 'value' || String(row.target).toLowerCase().includes(column.split('_')[0].toLowerCase()))
    .map((column) => `${column} ${row[column]}`);
  return `${columns[0] === 'metric' || columns[0] === 'scenario' ? first : `${columns[0]} ${first}`}${measured.length > 0 ? `: ${measured.join(', ')}` : ''} (target ${row.target})`;
}

function printResults(outcomes: BenchOutcome[]): boolean {
  const out: string[] = [];
  const verdicts: string[] = [];
  let allPassed = true;
  for (const outcome of outcomes) {
    out.push('', `## ${outcome.name} (${outcome.seconds.toFixed(0)} s)`);
    for (const group of tables(outcome.rows)) out.push('', formatTable(group));
    if (outcome.error) {
      out.push('', `ERROR: ${outcome.error}`);
      verdicts.push(`FAIL  ${outcome.name}: did not finish: ${outcome.error.split('\n')[0]}`);
      allPassed = false;
    }
    for (const row of outcome.rows) {
      const passed = verdict(row);
      if (passed === undefined) continue;
      allPassed &&= passed;
      verdicts.push(`${passed ? 'PASS' : 'FAIL'}  ${outcome.name}: ${describe(row)}`);
    }
  }
  out.push('', '## Targets', '', ...(verdicts.length > 0 ? verdicts : ['(no targets stated)']), '');
  process.stdout.write(out.join('\n') + '\n');
  return allPassed;
}

async function main() {
  const { names, timeoutMinutes } = parseArguments(process.argv.slice(2));
  const outcomes: BenchOutcome[] = [];
  const startedAt = Date.now();
  // Bench modules print progress with console.log too; keep stdout for the tables.
  console.log = (...args: unknown[]) => console.error(...args);

  let finished = false;
  const finish = async (): Promise<never> => {
    if (!finished) {
      finished = true;
      await stopSharedTemporal().catch((error: unknown) => progress(`stopping Temporal failed: ${String(error)}`));
      const passed = printResults(outcomes);
      progress(`benchmarks done in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);
      process.exit(passed && outcomes.length === names.length ? 0 : 1);
    }
    return new Promise<never>(() => {});
  };
  const timer = setTimeout(() => {
    progress(`timed out after ${timeoutMinutes} minutes; printing what was measured`);
    const running = outcomes[outcomes.length - 1];
    if (running && running.error === undefined && running.seconds === 0) running.error = `timed out after ${timeoutMinutes} minutes`;
    void finish();
  }, timeoutMinutes * 60_000);
  timer.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: stopping`);
      void finish();
    });
  }

  for (const name of names) {
    const outcome: BenchOutcome = { name, rows: [], seconds: 0 };
    outcomes.push(outcome);
    const benchStartedAt = Date.now();
    progress(`── ${name} ──`);
    const report: Report = (row) => {
      outcome.rows.push(row);
      progress(`[${name}] ${Object.entries(row).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    };
    try {
      const module = (await import(path.join(__dirname, `${name}.bench.ts`))) as { run?: (report: Report) => Promise<void> };
      if (typeof module.run !== 'function') throw new Error(`bench/${name}.bench.ts exports no run(report) function`);
      await module.run(report);
    } catch (error) {
      outcome.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
      progress(`[${name}] failed: ${outcome.error}`);
    }
    outcome.seconds = Math.max(0.5, (Date.now() - benchStartedAt) / 1000);
  }
  await finish();
}

void main();
