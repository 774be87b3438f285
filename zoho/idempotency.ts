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
 * first, and matches the marker in the rows it gets back.
 *
 * The marker is a hash of the key: fixed length, nothing to escape, and it does not copy workflow ids or phone
 * numbers into the CRM. Within one org (its ZohoOrgState), creates with the same key are serialised, so an attempt that timed
 * out locally but is still running cannot race its own retry.
 */
import { createHash } from 'node:crypto';
import { equalsAny, selectRows } from './coql';
import type { ZohoHttp } from './http';
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

/** The id of the record an earlier attempt created with this marker, if any. */
export async function findMarked(http: ZohoHttp, module: ZohoModule, data: Record<string, unknown>, marker: string): Promise<string | undefined> {
  const { textField, narrowBy } = MARKER_PLACEMENT[module];
  const value = narrowingValue(data[narrowBy]);
  // Without it the create fails Zoho's mandatory check anyway, so nothing can have been committed.
  if (value === undefined) return undefined;
  const rows = await selectRows(http, module, ['id', textField], equalsAny(narrowBy, [value]), 'Created_Time desc');
  const row = rows.find((r) => typeof r[textField] === 'string' && (r[textField] as string).split('\n').includes(marker));
  return row ? String(row.id) : undefined;
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
