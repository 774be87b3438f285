/**
 * C3 for a missed call written late: the answered calls with its client that are in the CRM already, found by the
 * subjects callmatrix gives their Calls records (C1) and their employees' completed tasks. Neither query needs an
 * id the caller lookup finds, so both go in the lookup's composite request (PhoneLookup.findCallerWith): its three
 * queries and these two make five, the most a composite request holds.
 */
import { combine, equalsAny, literal, type AlongsideQuery, type Row } from './coql';
import { carriesMarker } from './idempotency';
import type { AnsweredCallSummary } from './types';

/** The subjects to look for: a Calls record's, exact, and how a task's starts. */
export interface AnsweredCallSubjects {
  calls: readonly string[];
  taskPrefixes: readonly string[];
}

/**
 * The Calls records and tasks created since `since` (ISO 8601) with these subjects: a record written before then
 * tells of a call that started before then.
 */
export function answeredCallsNamed(subjects: AnsweredCallSubjects, since: string): AlongsideQuery<AnsweredCallSummary[]> {
  const taskSubject = combine('or', subjects.taskPrefixes.map((prefix) => `Subject like ${literal(`${prefix}%`)}`));
  const summary = (module: AnsweredCallSummary['module']) => (row: Row): AnsweredCallSummary => {
    const description = typeof row.Description === 'string' ? row.Description : '';
    return {
      module,
      id: String(row.id),
      subject: String(row.Subject ?? ''),
      ...(typeof row.Call_Start_Time === 'string' ? { callStartTime: row.Call_Start_Time } : {}),
      description,
      madeByCallmatrix: carriesMarker(description),
    };
  };
  const createdSince = (row: Row) => Date.parse(String(row.Created_Time ?? '')) >= Date.parse(since);
  return {
    queries: [
      { module: 'Calls', columns: ['id', 'Subject', 'Call_Start_Time', 'Created_Time', 'Description'], where: equalsAny('Subject', subjects.calls), orderBy: 'Created_Time desc' },
      { module: 'Tasks', columns: ['id', 'Subject', 'Created_Time', 'Description'], where: taskSubject, orderBy: 'Created_Time desc' },
    ],
    read: ([calls, tasks]) => [...calls.filter(createdSince).map(summary('Calls')), ...tasks.filter(createdSince).map(summary('Tasks'))],
  };
}
