/**
 * `callmatrix calls` lists the newest calls first, by when each call started (CallStartedAt), as its help says,
 * whatever order Temporal's visibility keeps (open runs first, the latest started first; closed ones after), and
 * `--limit` keeps the newest, whichever windows of time the listing reads back through. A limit that is not a
 * whole number of 1 or more is refused, naming --limit, with exit code 2 like every usage mistake.
 * The calls are call workflows on a task queue no worker polls, on the test Temporal server: open runs that stay
 * open, and one terminated.
 */
import crypto from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { listCalls } from '../../temporal/list-calls';
import { callWorkflowId, searchAttributes, workflowTypes } from '../../temporal/contracts';
import { eventually } from '../scenarios/scenario-kit';
import { useCallmatrixCli } from '../support/callmatrix-cli';

const cli = useCallmatrixCli();

let connection: Connection;
let client: Client;
const taskQueue = `calls-listing-${crypto.randomUUID()}`;
const handles: WorkflowHandle[] = [];
beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  client = new Client({ connection, namespace: 'default' });
});
afterAll(async () => {
  for (const handle of handles) await handle.terminate('test over').catch(() => undefined);
  await connection?.close();
});

/** A call workflow that started (by the telephony's clock) at `startedAt`; no worker runs it. */
async function call(name: string, startedAt: string, queue = taskQueue): Promise<WorkflowHandle> {
  const callId = `${name}-${crypto.randomUUID()}`;
  const handle = await client.workflow.start(workflowTypes.call, {
    taskQueue: queue,
    workflowId: callWorkflowId('ringostat', callId),
    typedSearchAttributes: new TypedSearchAttributes([
      { key: searchAttributes.callId, value: callId },
      { key: searchAttributes.startedAt, value: new Date(startedAt) },
      { key: searchAttributes.status, value: 'in-progress' },
    ]),
  });
  handles.push(handle);
  return handle;
}

it('lists the newest call first by its start, open or closed, and --limit keeps the newest', async () => {
  // Started in Temporal in this order; visibility lists open runs latest first (middle, newest, oldest), closed ones after.
  const oldest = await call('oldest', '2026-11-29T10:00:00Z');
  const newest = await call('newest', '2026-11-29T12:00:00Z');
  const middle = await call('middle', '2026-11-29T11:00:00Z');
  const closedNewest = await call('closed-newest', '2026-11-29T13:00:00Z');
  await closedNewest.terminate('listed after the open runs by visibility');
  await eventually(async () => ((await client.workflow.count(`TaskQueue = "${taskQueue}" AND ExecutionStatus = "Terminated"`)).count === 1 ? true : undefined));
  await eventually(async () => ((await client.workflow.count(`TaskQueue = "${taskQueue}"`)).count === 4 ? true : undefined));

  const listed = await listCalls(client, { limit: 100, taskQueue });
  expect(listed.map((row) => row.workflowId)).toEqual([closedNewest, newest, middle, oldest].map((handle) => handle.workflowId));
  expect(listed.map((row) => row.startedAt)).toEqual(['2026-11-29T13:00:00.000Z', '2026-11-29T12:00:00.000Z', '2026-11-29T11:00:00.000Z', '2026-11-29T10:00:00.000Z']);
  expect(listed[0].status).toBe('terminated');

  expect((await listCalls(client, { limit: 2, taskQueue })).map((row) => row.workflowId)).toEqual([closedNewest.workflowId, newest.workflowId]);
  // --until: the newest that started before it, its windows read back from it.
  const until = new Date('2026-11-29T12:00:00Z');
  expect((await listCalls(client, { limit: 1, taskQueue, until })).map((row) => row.workflowId)).toEqual([middle.workflowId]);
  expect((await listCalls(client, { limit: 5, taskQueue, until })).map((row) => row.workflowId)).toEqual([middle.workflowId, oldest.workflowId]);
});

it('reads back hour by hour, then wider, and still lists exactly the newest: calls across every window it widens through', async () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const [hour, day] = [3_600_000, 86_400_000];
  const otherQueue = `${taskQueue}-windows`;
  const inWindows = [ago(10 * 60_000), ago(3 * hour), ago(3 * day), ago(20 * day), ago(200 * day), ago(800 * day)];
  const started: WorkflowHandle[] = [];
  // Started oldest first, so visibility's own order (latest started first) is the order expected.
  for (const startedAt of [...inWindows].reverse()) started.unshift(await call('window', startedAt, otherQueue));
  await eventually(async () => ((await client.workflow.count(`TaskQueue = "${otherQueue}"`)).count === inWindows.length ? true : undefined));

  for (let limit = 1; limit <= inWindows.length + 1; limit += 1) {
    const listed = await listCalls(client, { limit, taskQueue: otherQueue });
    expect(listed.map((row) => row.workflowId)).toEqual(started.slice(0, limit).map((handle) => handle.workflowId));
  }
  // --since still bounds it when a wider window would hold the limit.
  expect(await listCalls(client, { limit: 4, taskQueue: otherQueue, since: new Date(ago(10 * day)) })).toHaveLength(3);
});

it('`calls --since/--until "YYYY-MM-DD HH:MM"` read the time in UTC, as backfill does and the listing prints, whatever the machine\'s zone', async () => {
  const queue = `${taskQueue}-utc`;
  // Before, within and after 10:30–11:30 UTC; in Tokyo's zone (UTC+9) that window would be 01:30–02:30 UTC, before all three.
  const [, eleven] = [await call('ten', '2026-11-29T10:00:00Z', queue), await call('eleven', '2026-11-29T11:00:00Z', queue), await call('noon', '2026-11-29T12:00:00Z', queue)];
  await eventually(async () => ((await client.workflow.count(`TaskQueue = "${queue}"`)).count === 3 ? true : undefined));
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, CALLMATRIX_TASK_QUEUE: queue, TZ: 'Asia/Tokyo' };
  const { stdout } = await cli.run(['calls', '--json', '--since', '2026-11-29 10:30', '--until', '2026-11-29 11:30'], { env });
  expect(stdout.trim().split('\n').map((line) => (JSON.parse(line) as { workflowId: string }).workflowId)).toEqual([eleven.workflowId]);
});

it.each(['abc', '0', '-1', '1.5'])('`calls --limit %s` is refused in a line naming --limit, before Temporal is asked', async (limit) => {
  const failed = await cli.run(['calls', '--limit', limit], { env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: '127.0.0.1:1' } }).then(
    () => undefined,
    (error: unknown) => error as { code: number; stderr: string },
  );
  // A usage mistake: exit 2 and that one line, with the help to run instead of the whole help (README "Exit codes").
  expect(failed?.code).toBe(2);
  expect(failed?.stderr).toBe(
    `callmatrix: option '--limit <n>' argument '${limit}' is invalid: expected a whole number of calls, 1 or more; run \`callmatrix calls --help\`\n`,
  );
});
