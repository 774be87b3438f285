import type { Clock } from './clock';
import type { IdGenerator } from './ids';
import type { ModuleName } from './modules';
import { formatZohoDateTime } from './zoho-time';

/**
 * Field values as stored: scalars as sent, lookups and owners as bare ids, the module of a multi-module lookup in
 * `$se_module`. Rendering (render.ts) turns them back into the API's `{"name","id"}` objects.
 */
export type StoredValues = Record<string, unknown>;

export interface StoredRecord {
  id: string;
  module: ModuleName;
  values: StoredValues;
  createdAt: number;
  modifiedAt: number;
  createdBy: string;
  modifiedBy: string;
  /** Versions handed to the search index, oldest first; search sees the newest one already visible. */
  indexed: { values: StoredValues; visibleAt: number }[];
}

/** A record as saved to a file: everything but the search index's history. */
export type SavedRecord = Omit<StoredRecord, 'indexed'>;

/** Fields Zoho computes from others on every write. */
function derive(module: ModuleName, values: StoredValues, now: string): void {
  if (module === 'Leads' || module === 'Contacts') {
    const name = [values.First_Name, values.Last_Name].filter((v) => typeof v === 'string' && v !== '').join(' ');
    values.Full_Name = name || null;
  }
  if (module === 'Calls' && typeof values.Call_Duration === 'string') {
    const parts = values.Call_Duration.split(':').map(Number);
    values.Call_Duration_in_seconds = parts.reduce((total, p) => total * 60 + p, 0);
  }
  if (module === 'Tasks') values.Closed_Time = values.Status === 'Completed' ? (values.Closed_Time ?? now) : null;
}

export class RecordStore {
  private readonly records = new Map<ModuleName, Map<string, StoredRecord>>();
  /** Called after every change of the records: the demo CRM saves them to its file then. */
  onChange?: () => void;

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly searchIndexLagMs: () => number,
    private readonly timeZone: string,
  ) {}

  private nowText(): string {
    return formatZohoDateTime(this.clock.now(), this.timeZone);
  }

  private table(module: ModuleName): Map<string, StoredRecord> {
    let table = this.records.get(module);
    if (!table) this.records.set(module, (table = new Map()));
    return table;
  }

  insert(module: ModuleName, values: StoredValues, userId: string, createdAt = this.clock.now()): StoredRecord {
    const now = this.clock.now();
    const record: StoredRecord = {
      id: this.ids.nextId(),
      module,
      values: { Owner: userId, ...values },
      createdAt,
      modifiedAt: Math.max(now, createdAt),
      createdBy: userId,
      modifiedBy: userId,
      indexed: [],
    };
    derive(module, record.values, this.nowText());
    this.index(record);
    this.table(module).set(record.id, record);
    this.onChange?.();
    return record;
  }

  update(record: StoredRecord, values: StoredValues, userId: string): StoredRecord {
    const now = this.clock.now();
    Object.assign(record.values, values);
    derive(record.module, record.values, this.nowText());
    record.modifiedAt = now;
    record.modifiedBy = userId;
    this.index(record);
    this.onChange?.();
    return record;
  }

  private index(record: StoredRecord): void {
    const now = this.clock.now();
    const visible = record.indexed.filter((v) => v.visibleAt <= now);
    const pending = record.indexed.filter((v) => v.visibleAt > now);
    // Keep only the newest version search can already see, plus the ones still being indexed.
    record.indexed = [...visible.slice(-1), ...pending, { values: { ...record.values }, visibleAt: now + this.searchIndexLagMs() }];
  }

  /** The record as the search index currently knows it, or undefined while its first version is being indexed. */
  searchView(record: StoredRecord): StoredValues | undefined {
    const now = this.clock.now();
    return record.indexed.filter((v) => v.visibleAt <= now).at(-1)?.values;
  }

  get(module: ModuleName, id: string): StoredRecord | undefined {
    return this.records.get(module)?.get(id);
  }

  all(module: ModuleName): StoredRecord[] {
    return [...this.table(module).values()];
  }

  delete(module: ModuleName, id: string): boolean {
    const deleted = this.table(module).delete(id);
    if (deleted) this.onChange?.();
    return deleted;
  }

  /** A copy of every record, search-index history included, that `rollBack` returns the store to. */
  checkpoint(): Map<ModuleName, Map<string, StoredRecord>> {
    return structuredClone(this.records);
  }

  /** Undoes every change since `checkpoint` (a composite request's rollback); ids handed out stay used. */
  rollBack(checkpoint: Map<ModuleName, Map<string, StoredRecord>>): void {
    this.records.clear();
    for (const [module, table] of checkpoint) this.records.set(module, table);
    this.onChange?.();
  }

  clear(): void {
    this.records.clear();
    this.onChange?.();
  }

  /** Every record of every module, as `restore` takes them back (the search index's history left out). */
  snapshot(): SavedRecord[] {
    return [...this.records.values()].flatMap((table) => [...table.values()].map(({ indexed: _indexed, ...record }) => record));
  }

  /** Puts back records a snapshot saved, with their ids and times; search sees them at once, new ids follow theirs. */
  restore(records: readonly SavedRecord[]): void {
    for (const saved of records) {
      const record: StoredRecord = { ...saved, indexed: [{ values: { ...saved.values }, visibleAt: 0 }] };
      this.table(record.module).set(record.id, record);
      this.ids.advancePast(record.id);
    }
  }
}
