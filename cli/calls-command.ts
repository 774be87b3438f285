/**
 * `callmatrix calls`: lists calls by status from Temporal's visibility, e.g. the calls that expired or were
 * discarded after a re-activation (R2), so an admin can still act on them. Only ids and search attributes are
 * printed: the call data itself stays encrypted in each call's history (see it in the Temporal UI).
 */
import { Client } from '@temporalio/client';
import { Option, type Command } from 'commander';
import { CALL_STATUSES } from '../temporal/call-status';
import { searchAttributes } from '../temporal/contracts';
import { loadEnvironment } from '../config/environment';
import { connectTemporal } from '../app/temporal-connection';
import { temporalConnection } from '../config/temporal-connection';

export interface CallRow {
  workflowId: string;
  callId: string;
  startedAt: string;
  status: string;
  rule: string;
  scenario: string;
  outcome: string;
}

export async function listCalls(client: Client, options: { status?: string; limit: number }): Promise<CallRow[]> {
  const filters = [`WorkflowType = "callWorkflow"`];
  if (options.status) filters.push(`${searchAttributes.status.name} = "${options.status}"`);
  const rows: CallRow[] = [];
  for await (const execution of client.workflow.list({ query: filters.join(' AND '), pageSize: Math.min(options.limit, 1000) })) {
    const attribute = (key: (typeof searchAttributes)[keyof typeof searchAttributes]) => execution.typedSearchAttributes.get(key);
    rows.push({
      workflowId: execution.workflowId,
      callId: String(attribute(searchAttributes.callId) ?? ''),
      startedAt: ((attribute(searchAttributes.startedAt) as Date | undefined) ?? execution.startTime).toISOString(),
      status: String(attribute(searchAttributes.status) ?? ''),
      rule: String(attribute(searchAttributes.rule) ?? ''),
      scenario: String(attribute(searchAttributes.scenario) ?? ''),
      outcome: String(attribute(searchAttributes.outcome) ?? ''),
    });
    if (rows.length >= options.limit) break;
  }
  return rows;
}

export function formatCalls(rows: CallRow[]): string {
  if (rows.length === 0) return 'no calls\n';
  const header: CallRow = { workflowId: 'WORKFLOW', callId: 'CALL', startedAt: 'STARTED', status: 'STATUS', rule: 'RULE', scenario: 'SCENARIO', outcome: 'OUTCOME' };
  const columns = Object.keys(header) as (keyof CallRow)[];
  const widths = columns.map((c) => Math.max(...[header, ...rows].map((r) => r[c].length)));
  return [header, ...rows].map((row) => columns.map((c, i) => row[c].padEnd(widths[i])).join('  ').trimEnd()).join('\n') + '\n';
}

export function registerCallsCommand(program: Command): void {
  program
    .command('calls')
    .description('List calls by status (e.g. expired or discarded after a re-activation), newest first.')
    .addOption(new Option('--status <status>', 'only calls with this status').choices(CALL_STATUSES))
    .option('--limit <n>', 'at most this many calls', (v) => Number.parseInt(v, 10), 100)
    .option('--json', 'print JSON lines instead of a table')
    .action(async (options: { status?: string; limit: number; json?: boolean }) => {
      const env = loadEnvironment();
      const connection = await connectTemporal(temporalConnection(env));
      try {
        const rows = await listCalls(new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), options);
        process.stdout.write(options.json ? rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '') : formatCalls(rows));
      } finally {
        await connection.close();
      }
    });
}
