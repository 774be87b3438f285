/**
 * Finding the caller's Leads, Contacts and open Deals by phone: one COQL query per module, all of them in one
 * composite request when granted (one round trip, one credit). Matching is exact string equality over every
 * phone-type field of the module (custom ones included, read from fields metadata), as Zoho itself compares
 * stored strings: the caller passes every format variant it wants tried. COQL, not Search, so a lead created a
 * second ago by the previous call of the same caller is found (M17: Search lags behind writes).
 */
import { COQL_MAX_IN_VALUES, combine, equalsAny, type AlongsideQuery, type CoqlQuery, type CoqlReader, type Row } from './coql';
import { carriesOneOf, markedIdIn, MARKER_PLACEMENT } from './idempotency';
import type { Metadata } from './metadata';
import type { CallerModule, CallerRecords, ContactSummary, DealSummary, LeadSummary, PhoneFields, ZohoRecordRef } from './types';

export const CALLER_MODULES: readonly CallerModule[] = ['Leads', 'Contacts', 'Deals'];

function lookupId(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function owner(row: Row): Pick<ZohoRecordRef, 'ownerId' | 'ownerName'> {
  const value = row.Owner as { id?: unknown; name?: unknown } | undefined;
  return { ownerId: String(value?.id ?? ''), ...(typeof value?.name === 'string' ? { ownerName: value.name } : {}) };
}

/** Non-empty phone values of `row`, read from `columns` and reported under `names`. */
function phonesOf(row: Row, columns: readonly string[], names: readonly string[] = columns): PhoneFields {
  const phones: PhoneFields = {};
  columns.forEach((column, i) => {
    const value = row[column];
    if (typeof value === 'string' && value.length > 0) phones[names[i]] = value;
  });
  return phones;
}

/** A picklist value as COQL returns it: a plain string, or `{ name }` / `{ actual_value }` in some versions. */
function picklistValue(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const object = value as { actual_value?: unknown; name?: unknown } | null | undefined;
  const text = object?.actual_value ?? object?.name;
  return typeof text === 'string' ? text : null;
}

/** Marker → id of each row of the modules' answers that carries one of `markers`. */
function leftOutIds(modules: readonly CallerModule[], rows: readonly Row[][], markers: readonly string[]): Record<string, string> {
  const ids: Record<string, string> = {};
  modules.forEach((module, i) => {
    for (const marker of markers) {
      const id = markedIdIn(module, rows[i], marker);
      if (id) ids[marker] = id;
    }
  });
  return ids;
}

/** One module's part of a lookup: its query, and how its rows become records. */
interface ModuleLookup {
  query: CoqlQuery;
  read(rows: Row[], found: CallerRecords): void;
}

export class PhoneLookup {
  constructor(
    private readonly coql: CoqlReader,
    private readonly metadata: Metadata,
  ) {}

  /**
   * The caller's records in the `modules` asked, by any of `phones`. The matrix, O2 and smart routing all look
   * callers up through here. Records carrying one of the `leaveOut` idempotency markers are not returned: a
   * rerun of a call leaves out what its earlier try created, and decides as that try did.
   */
  async findCaller(phones: readonly string[], modules: readonly CallerModule[] = CALLER_MODULES, leaveOut: readonly string[] = []): Promise<CallerRecords> {
    return (await this.findCallerWith(phones, modules, undefined, leaveOut)).found;
  }

  /**
   * `findCaller`, with other queries in the same request; their answer is `alongside`. With no phone or module to
   * look up there is no request, and no `alongside`.
   */
  async findCallerWith<T>(
    phones: readonly string[],
    modules: readonly CallerModule[],
    alongside?: AlongsideQuery<T>,
    leaveOut: readonly string[] = [],
  ): Promise<{ found: CallerRecords; alongside?: T }> {
    const found: CallerRecords = { leads: [], contacts: [], deals: [] };
    const distinct = [...new Set(phones)];
    if (distinct.length === 0 || modules.length === 0) return { found };
    if (distinct.length > COQL_MAX_IN_VALUES) throw new RangeError(`at most ${COQL_MAX_IN_VALUES} phone variants per lookup, got ${distinct.length}`);
    const lookups = await Promise.all(modules.map((module) => (module === 'Deals' ? this.openDeals(distinct) : this.people(module, distinct))));
    // The marker's text field only when something is left out: a first try's lookup reads no more than before.
    const queries = lookups.map(({ query }, i) => (leaveOut.length > 0 ? { ...query, columns: [...query.columns, MARKER_PLACEMENT[modules[i]].textField] } : query));
    const rows = await this.coql.selectAll([...queries, ...(alongside?.queries ?? [])]);
    lookups.forEach((lookup, i) => lookup.read(rows[i].filter((row) => !carriesOneOf(modules[i], row, leaveOut)), found));
    if (leaveOut.length > 0) found.leftOut = leftOutIds(modules, rows, leaveOut);
    return { found, alongside: alongside?.read(rows.slice(lookups.length)) };
  }

  /**
   * Leads or contacts with any of `phones`. Open leads only (C4): COQL returns converted leads like any other row,
   * so the query asks for `Converted__s = false` itself.
   */
  private async people(module: 'Leads' | 'Contacts', phones: readonly string[]): Promise<ModuleLookup> {
    const phoneFields = await this.metadata.phoneFields(module);
    const anyPhone = this.anyPhone(phoneFields, phones);
    const where = module === 'Leads' ? combine('and', ['Converted__s = false', anyPhone]) : anyPhone;
    return {
      query: { module, columns: ['id', 'Owner', 'Full_Name', 'Created_Time', ...phoneFields], where },
      read: (rows, found) => {
        const people = rows.map((row) => ({
          id: String(row.id),
          ...owner(row),
          name: String(row.Full_Name ?? ''),
          createdTime: String(row.Created_Time ?? ''),
          phones: phonesOf(row, phoneFields),
        }));
        if (module === 'Leads') found.leads = people.map((person): LeadSummary => ({ ...person, module }));
        else found.contacts = people.map((person): ContactSummary => ({ ...person, module }));
      },
    };
  }

  /**
   * Deals of the contacts with these phones (joined through the Contact_Name lookup) whose Stage is an Open stage
   * of the deal's pipeline. Stage semantics come from the pipelines metadata, never from stage names.
   */
  private async openDeals(phones: readonly string[]): Promise<ModuleLookup> {
    const [contactPhoneFields, openStages] = await Promise.all([this.metadata.phoneFields('Contacts'), this.metadata.openStages()]);
    const joined = contactPhoneFields.map((f) => `Contact_Name.${f}`);
    const allOpen = new Set([...openStages.values()].flatMap((stages) => [...stages]));
    return {
      query: { module: 'Deals', columns: ['id', 'Deal_Name', 'Stage', 'Pipeline', 'Owner', 'Created_Time', 'Contact_Name', ...joined], where: this.anyPhone(joined, phones) },
      read: (rows, found) => {
        found.deals = rows.flatMap((row): DealSummary[] => {
          const stage = picklistValue(row.Stage) ?? '';
          const pipeline = picklistValue(row.Pipeline);
          // A deal without a pipeline (pipelines off for its layout) is open if its stage is open in any pipeline.
          const open = pipeline !== null ? openStages.get(pipeline)?.has(stage) : allOpen.has(stage);
          const contactId = lookupId(row.Contact_Name);
          if (!open || !contactId) return [];
          return [
            {
              id: String(row.id),
              module: 'Deals',
              ...owner(row),
              name: String(row.Deal_Name ?? ''),
              createdTime: String(row.Created_Time ?? ''),
              stage,
              pipeline,
              contactId,
              phones: phonesOf(row, joined, contactPhoneFields),
            },
          ];
        });
      },
    };
  }

  /** `(F1 in (…) or (F2 in (…) or …))`: any of the fields equals any of the phones. */
  private anyPhone(fields: readonly string[], phones: readonly string[]): string {
    return combine('or', fields.map((field) => equalsAny(field, phones)));
  }
}
