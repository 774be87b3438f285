/**
 * "No duplicate writes under retries". An activity whose create was committed by Zoho but whose answer was lost
 * (timeout, crash) is retried with the same idempotency key; the retry must find the record, not make a second.
 *
 * Design: every created record carries a marker derived from the key, as the last line of its multi-line text
 * field (`Description`; `Note_Content` for Notes), where users see at most one quiet line ("callmatrix ref …")
 * and no admin set-up (custom fields) is needed. Before creating, the client looks the marker up with COQL,
 * which, unlike Search, sees a record the moment it is committed.
 *
 * Zoho's COQL cannot filter on multi-line fields, so the lookup narrows by a single-line field every record of
 * the module must have and that the create itself sets (Last_Name, Deal_Name, Subject; a note's parent), newest
 * first, and matches the marker in the rows it gets back. The lookups of several creates go as one composite
 * request when granted (record-writes.ts).
 *
 * The marker is a hash of the key: fixed length, nothing to escape, and it does not copy workflow ids or phone
 * numbers into the CRM. Within one org (its ZohoOrgState), creates with the same key are serialised, so an attempt that timed
 * out locally but is still running cannot race its own retry.
 */
import { createHash } from 'node:crypto';
import { equalsAny, type CoqlQuery, type CoqlReader, type Row } from './coql';
import type { ZohoModule } from './types';

interface MarkerPlacement {
  /** The multi-line field whose last line carries the marker. */
  textField: string;
  /** A single-line (or lookup) field the create sets and COQL can filter on. */
  narrowBy: string;
}

export const MARKER_PLACEMENT: Readonly<Record<ZohoModule, MarkerPlacement>> = {
  Leads: { textField: 'Description', narrowBy: 'Last_Name' },
  Contacts: { textField: 'Description', narrowBy: 'Last_Name' },
  Deals: { textField: 'Description', narrowBy: 'Deal_Name' },
  Tasks: { textField: 'Description', narrowBy: 'Subject' },
  Calls: { textField: 'Description', narrowBy: 'Subject' },
  Notes: { textField: 'Note_Content', narrowBy: 'Parent_Id' },
};

const MARKER_PREFIX = 'callmatrix ref ';

export function markerOf(idempotencyKey: string): string {
  return MARKER_PREFIX + createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24);
}

/** Whether a record's text carries some callmatrix marker: callmatrix created the record (C3 touches no other). */
export function carriesMarker(text: string): boolean {
  return text.split('\n').some((line) => line.startsWith(MARKER_PREFIX));
}

/** `data` with the marker appended as the last line of the module's text field. */
export function withMarker(module: ZohoModule, data: Record<string, unknown>, marker: string): Record<string, unknown> {
  const { textField } = MARKER_PLACEMENT[module];
  const text = data[textField];
  return { ...data, [textField]: typeof text === 'string' && text.length > 0 ? `${text}\n\n${marker}` : marker };
}

/** The value the lookup narrows by: a lookup is sent as `{ id }` (or a bare id) and compared by id. */
function narrowingValue(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length > 0) return value;
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

/** Whether `row` carries one of `markers` in the module's text field. */
export function carriesOneOf(module: ZohoModule, row: Row, markers: readonly string[]): boolean {
  const text = row[MARKER_PLACEMENT[module].textField];
  return typeof text === 'string' && text.split('\n').some((line) => markers.includes(line));
}

/** The row carrying `marker` in the module's text field, if any. */
function markedRow(module: ZohoModule, rows: readonly Row[], marker: string): Row | undefined {
  return rows.find((r) => carriesOneOf(module, r, [marker]));
}

/**
 * The query that finds the record an earlier attempt created from `data` with this marker; undefined when `data`
 * lacks the narrowing field: the create then fails Zoho's mandatory check anyway, so nothing can have been committed.
 */
export function markerQuery(module: ZohoModule, data: Record<string, unknown>, marker: string): CoqlQuery | undefined {
  const { textField, narrowBy } = MARKER_PLACEMENT[module];
  const value = narrowingValue(data[narrowBy]);
  if (value === undefined) return undefined;
  return { module, columns: ['id', textField], where: equalsAny(narrowBy, [value]), orderBy: 'Created_Time desc', answeredBy: (rows) => markedRow(module, rows, marker) !== undefined };
}

/** The id of the marked record among the rows `markerQuery` returned, if any. */
export function markedIdIn(module: ZohoModule, rows: readonly Row[], marker: string): string | undefined {
  const row = markedRow(module, rows, marker);
  return row ? String(row.id) : undefined;
}

/** The id of the record an earlier attempt created with this marker, if any. */
export async function findMarked(coql: CoqlReader, module: ZohoModule, data: Record<string, unknown>, marker: string): Promise<string | undefined> {
  const query = markerQuery(module, data, marker);
  return query ? markedIdIn(module, await coql.select(query), marker) : undefined;
}

/** Creates in flight by marker, so the creates of one marker run one after the other. */
export class CreateQueue {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** Runs `create` for `marker` after any create with the same marker has finished. */
  async serialised<T>(marker: string, create: () => Promise<T>): Promise<T> {
    const previous = this.inFlight.get(marker) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(create);
    this.inFlight.set(marker, current);
    try {
      return await current;
    } finally {
      if (this.inFlight.get(marker) === current) this.inFlight.delete(marker);
    }
  }
}
