/**
 * Finding the caller's Leads, Contacts and open Deals by phone. Matching is exact string equality over every
 * phone-type field of the module (custom ones included, read from fields metadata), as Zoho itself compares
 * stored strings: the caller passes every format variant it wants tried. COQL, not Search, so a lead created a
 * second ago by the previous call of the same caller is found.
 */
import { COQL_MAX_IN_VALUES, combine, equalsAny, selectRows } from './coql';
import type { ZohoHttp } from './http';
import type { Metadata } from './metadata';
import type { ContactSummary, DealSummary, LeadSummary, PhoneFields, ZohoRecordRef } from './types';

type Row = Record<string, unknown>;

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

export class PhoneLookup {
  constructor(
    private readonly http: ZohoHttp,
    private readonly metadata: Metadata,
  ) {}

  /**
   * Open leads only (C4): COQL returns converted leads like any other row, so the query asks for
   * `Converted__s = false` itself. The matrix, O2 and smart routing all read leads through here.
   */
  async findLeadsByPhone(phones: string[]): Promise<LeadSummary[]> {
    return (await this.people('Leads', phones, 'Converted__s = false')).map((person) => ({ ...person, module: 'Leads' }));
  }

  async findContactsByPhone(phones: string[]): Promise<ContactSummary[]> {
    return (await this.people('Contacts', phones)).map((person) => ({ ...person, module: 'Contacts' }));
  }

  /**
   * Deals of the contacts with these phones (joined through the Contact_Name lookup) whose Stage is an Open stage
   * of the deal's pipeline. Stage semantics come from the pipelines metadata, never from stage names.
   */
  async findOpenDealsByPhone(phones: string[]): Promise<DealSummary[]> {
    if (phones.length === 0) return [];
    const contactPhoneFields = await this.metadata.phoneFields('Contacts');
    const joined = contactPhoneFields.map((f) => `Contact_Name.${f}`);
    const [rows, openStages] = await Promise.all([
      selectRows(this.http, 'Deals', ['id', 'Deal_Name', 'Stage', 'Pipeline', 'Owner', 'Created_Time', 'Contact_Name', ...joined], this.anyPhone(joined, phones)),
      this.metadata.openStages(),
    ]);
    const allOpen = new Set([...openStages.values()].flatMap((stages) => [...stages]));
    return rows.flatMap((row): DealSummary[] => {
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
  }

  /** People with any of `phones`; `also`, a further criterion every row must meet. */
  private async people(module: 'Leads' | 'Contacts', phones: string[], also?: string): Promise<Omit<LeadSummary, 'module'>[]> {
    if (phones.length === 0) return [];
    const phoneFields = await this.metadata.phoneFields(module);
    const anyPhone = this.anyPhone(phoneFields, phones);
    const rows = await selectRows(this.http, module, ['id', 'Owner', 'Full_Name', 'Created_Time', ...phoneFields], also ? combine('and', [also, anyPhone]) : anyPhone);
    return rows.map((row) => ({
      id: String(row.id),
      ...owner(row),
      name: String(row.Full_Name ?? ''),
      createdTime: String(row.Created_Time ?? ''),
      phones: phonesOf(row, phoneFields),
    }));
  }

  /** `(F1 in (…) or (F2 in (…) or …))`: any of the fields equals any of the phones. */
  private anyPhone(fields: readonly string[], phones: readonly string[]): string {
    const distinct = [...new Set(phones)];
    if (distinct.length > COQL_MAX_IN_VALUES) throw new RangeError(`at most ${COQL_MAX_IN_VALUES} phone variants per lookup, got ${distinct.length}`);
    return combine('or', fields.map((field) => equalsAny(field, distinct)));
  }
}
