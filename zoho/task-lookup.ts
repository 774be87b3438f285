/**
 * Tasks linked to given leads and deals through their `What_Id`, for O2 (another integration creates the task at
 * call start or pickup; we find it and write the call into it). COQL, like the phone lookups, so a task created a
 * second ago is found.
 */
import { COQL_MAX_IN_VALUES, combine, equalsAny, literal, type AlongsideQuery, type CoqlReader } from './coql';
import { carriesMarker, markedIdIn } from './idempotency';
import type { OpenTaskSummary, TaskSummary } from './types';

export type TaskParent = { module: 'Leads' | 'Deals'; id: string };

export class TaskLookup {
  constructor(private readonly coql: CoqlReader) {}

  /** The newest tasks (at most a COQL page per batch of parents) whose `What_Id` is one of `parents`. */
  async findTasksRelatedTo(parents: readonly TaskParent[]): Promise<TaskSummary[]> {
    // Zoho ids are unique across modules, so the id alone tells which parent a task belongs to.
    const moduleById = new Map(parents.map((parent) => [parent.id, parent.module]));
    const ids = [...moduleById.keys()];
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += COQL_MAX_IN_VALUES) batches.push(ids.slice(i, i + COQL_MAX_IN_VALUES));
    const columns = ['id', 'Subject', 'Status', 'Owner', 'Created_Time', 'What_Id'];
    const rows = (await this.coql.selectAll(batches.map((batch) => ({ module: 'Tasks', columns, where: equalsAny('What_Id', batch), orderBy: 'Created_Time desc' })))).flat();
    return rows.flatMap((row): TaskSummary[] => {
      const parentId = (row.What_Id as { id?: unknown } | null | undefined)?.id;
      const module = typeof parentId === 'string' ? moduleById.get(parentId) : undefined;
      if (!module) return [];
      const owner = row.Owner as { id?: unknown; name?: unknown } | undefined;
      return [
        {
          id: String(row.id),
          module: 'Tasks',
          ownerId: String(owner?.id ?? ''),
          ...(typeof owner?.name === 'string' ? { ownerName: owner.name } : {}),
          subject: String(row.Subject ?? ''),
          status: typeof row.Status === 'string' ? row.Status : '',
          createdTime: String(row.Created_Time ?? ''),
          what: { module, id: parentId as string },
        },
      ];
    });
  }

  /** The task of `parent` that carries `marker` (idempotency.ts), if any: one COQL read. */
  async findMarkedTaskOf(parent: TaskParent, marker: string): Promise<string | undefined> {
    const rows = await this.coql.select({ module: 'Tasks', columns: ['id', 'Description'], where: equalsAny('What_Id', [parent.id]), orderBy: 'Created_Time desc' });
    return markedIdIn('Tasks', rows, marker);
  }

  /**
   * C3: the query for the open tasks, created since `since`, whose subject starts with `subjectPrefix` — the
   * callback tasks callmatrix made for one number name it in their subject — and how its rows read, with whether
   * callmatrix created each. It needs nothing the caller lookup finds, so it goes in the lookup's request
   * (PhoneLookup.findCaller): one round trip and one credit for both.
   */
  openTasksNamed(subjectPrefix: string, since: string): AlongsideQuery<OpenTaskSummary[]> {
    const where = combine('and', [`Subject like ${literal(`${subjectPrefix}%`)}`, `Status != ${literal('Completed')}`]);
    return {
      queries: [{ module: 'Tasks', columns: ['id', 'Subject', 'Status', 'Owner', 'Created_Time', 'Description'], where, orderBy: 'Created_Time desc' }],
      read: ([rows]) =>
        rows
          .filter((row) => Date.parse(String(row.Created_Time ?? '')) >= Date.parse(since))
          .map((row) => {
            const description = typeof row.Description === 'string' ? row.Description : '';
            return {
              id: String(row.id),
              ownerId: String((row.Owner as { id?: unknown } | undefined)?.id ?? ''),
              subject: String(row.Subject ?? ''),
              status: typeof row.Status === 'string' ? row.Status : '',
              createdTime: String(row.Created_Time ?? ''),
              description,
              madeByCallmatrix: carriesMarker(description),
            };
          }),
    };
  }
}
