/**
 * Tasks linked to given leads and deals through their `What_Id`, for O2 (another integration creates the task at
 * call start or pickup; we find it and write the call into it). COQL, like the phone lookups, so a task created a
 * second ago is found.
 */
import { COQL_MAX_IN_VALUES, equalsAny, selectRows } from './coql';
import type { ZohoHttp } from './http';
import type { TaskSummary } from './types';

export type TaskParent = { module: 'Leads' | 'Deals'; id: string };

export class TaskLookup {
  constructor(private readonly http: ZohoHttp) {}

  /** The newest tasks (at most a COQL page per batch of parents) whose `What_Id` is one of `parents`. */
  async findTasksRelatedTo(parents: readonly TaskParent[]): Promise<TaskSummary[]> {
    // Zoho ids are unique across modules, so the id alone tells which parent a task belongs to.
    const moduleById = new Map(parents.map((parent) => [parent.id, parent.module]));
    const ids = [...moduleById.keys()];
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += COQL_MAX_IN_VALUES) batches.push(ids.slice(i, i + COQL_MAX_IN_VALUES));
    const rows = (
      await Promise.all(
        batches.map((batch) =>
          selectRows(this.http, 'Tasks', ['id', 'Subject', 'Status', 'Owner', 'Created_Time', 'What_Id'], equalsAny('What_Id', batch), 'Created_Time desc'),
        ),
      )
    ).flat();
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
}
