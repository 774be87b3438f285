/**
 * The CRM modules the emulator serves and their fields, shaped like `GET /settings/fields`: API names, data types,
 * mandatory flags, picklists and lookups as listed in the fact sheet (§3.3, §4). Custom fields and the Deals
 * pipelines are org configuration and come from seed.ts.
 */
export const MODULE_NAMES = ['Leads', 'Contacts', 'Accounts', 'Deals', 'Tasks', 'Calls', 'Notes'] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

export type DataType =
  | 'text'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'website'
  | 'picklist'
  | 'integer'
  | 'double'
  | 'currency'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'lookup'
  | 'ownerlookup';

export interface FieldSpec {
  apiName: string;
  label: string;
  type: DataType;
  mandatory?: boolean;
  readOnly?: boolean;
  unique?: boolean;
  picklist?: readonly string[];
  /** Restricted picklists reject values outside the list with INVALID_DATA; others accept anything. */
  restricted?: boolean;
  /** Target module(s) of a lookup; more than one makes it a multi-module lookup that needs `$se_module`. */
  lookup?: readonly ModuleName[];
  min?: number;
  max?: number;
}

export interface FieldDef extends FieldSpec {
  id: string;
  custom: boolean;
  length: number;
}

export interface ModuleDef {
  apiName: ModuleName;
  id: string;
  singular: string;
  /** The field whose value names a record when it appears as a lookup (`{"name","id"}`). */
  nameField: string;
  /** System duplicate-check fields, used by upsert when `duplicate_check_fields` is absent. */
  duplicateCheckFields: readonly string[];
  fields: FieldDef[];
}

const LENGTH: Partial<Record<DataType, number>> = { text: 255, email: 100, phone: 30, website: 255, textarea: 32000, integer: 9, double: 16, currency: 16 };

const PHONE_FIELDS_OF_PERSON = ['Phone', 'Mobile'];

const SOURCES = ['-None-', 'Advertisement', 'Cold Call', 'Employee Referral', 'External Referral', 'Online Store', 'Partner', 'Public Relations', 'Seminar Partner', 'Trade Show', 'Web Download', 'Web Research', 'Chat'];

const owner: FieldSpec = { apiName: 'Owner', label: 'Owner', type: 'ownerlookup' };
const systemFields: FieldSpec[] = [
  { apiName: 'Created_By', label: 'Created By', type: 'ownerlookup', readOnly: true },
  { apiName: 'Modified_By', label: 'Modified By', type: 'ownerlookup', readOnly: true },
  { apiName: 'Created_Time', label: 'Created Time', type: 'datetime', readOnly: true },
  { apiName: 'Modified_Time', label: 'Modified Time', type: 'datetime', readOnly: true },
];
const phone = (apiName: string, label: string): FieldSpec => ({ apiName, label, type: 'phone' });

const STANDARD_FIELDS: Record<ModuleName, FieldSpec[]> = {
  Leads: [
    owner,
    { apiName: 'First_Name', label: 'First Name', type: 'text' },
    { apiName: 'Last_Name', label: 'Last Name', type: 'text', mandatory: true },
    { apiName: 'Full_Name', label: 'Full Name', type: 'text', readOnly: true },
    { apiName: 'Company', label: 'Company', type: 'text' },
    // The demo org's admin ticked "do not allow duplicate values" on Email, so inserts exercise DUPLICATE_DATA.
    { apiName: 'Email', label: 'Email', type: 'email', unique: true },
    ...PHONE_FIELDS_OF_PERSON.map((f) => phone(f, f)),
    phone('Fax', 'Fax'),
    { apiName: 'Lead_Source', label: 'Lead Source', type: 'picklist', picklist: SOURCES },
    {
      apiName: 'Lead_Status',
      label: 'Lead Status',
      type: 'picklist',
      restricted: true,
      picklist: ['-None-', 'Attempted to Contact', 'Contact in Future', 'Contacted', 'Junk Lead', 'Lost Lead', 'Not Contacted', 'Pre-Qualified', 'Not Qualified'],
    },
    { apiName: 'Description', label: 'Description', type: 'textarea' },
    { apiName: 'Converted__s', label: 'Converted', type: 'boolean', readOnly: true },
    { apiName: 'Converted_Date_Time', label: 'Converted Date Time', type: 'datetime', readOnly: true },
  ],
  Contacts: [
    owner,
    { apiName: 'First_Name', label: 'First Name', type: 'text' },
    { apiName: 'Last_Name', label: 'Last Name', type: 'text', mandatory: true },
    { apiName: 'Full_Name', label: 'Full Name', type: 'text', readOnly: true },
    { apiName: 'Email', label: 'Email', type: 'email', unique: true },
    ...PHONE_FIELDS_OF_PERSON.map((f) => phone(f, f)),
    phone('Home_Phone', 'Home Phone'),
    phone('Other_Phone', 'Other Phone'),
    phone('Asst_Phone', 'Asst Phone'),
    phone('Fax', 'Fax'),
    { apiName: 'Account_Name', label: 'Account Name', type: 'lookup', lookup: ['Accounts'] },
    { apiName: 'Reporting_To', label: 'Reporting To', type: 'lookup', lookup: ['Contacts'] },
    { apiName: 'Lead_Source', label: 'Lead Source', type: 'picklist', picklist: SOURCES },
    { apiName: 'Description', label: 'Description', type: 'textarea' },
  ],
  Accounts: [
    owner,
    { apiName: 'Account_Name', label: 'Account Name', type: 'text', mandatory: true, unique: true },
    phone('Phone', 'Phone'),
    phone('Fax', 'Fax'),
    { apiName: 'Website', label: 'Website', type: 'website' },
    { apiName: 'Description', label: 'Description', type: 'textarea' },
  ],
  Deals: [
    owner,
    { apiName: 'Deal_Name', label: 'Deal Name', type: 'text', mandatory: true },
    // Pipeline and Stage values come from the org's pipelines (seed.ts); Stage is checked against its Pipeline.
    { apiName: 'Pipeline', label: 'Pipeline', type: 'picklist', mandatory: true, restricted: true },
    { apiName: 'Stage', label: 'Stage', type: 'picklist', mandatory: true, restricted: true },
    { apiName: 'Closing_Date', label: 'Closing Date', type: 'date' },
    { apiName: 'Contact_Name', label: 'Contact Name', type: 'lookup', lookup: ['Contacts'] },
    { apiName: 'Account_Name', label: 'Account Name', type: 'lookup', lookup: ['Accounts'] },
    { apiName: 'Amount', label: 'Amount', type: 'currency' },
    { apiName: 'Probability', label: 'Probability (%)', type: 'integer', min: 0, max: 100 },
    { apiName: 'Type', label: 'Type', type: 'picklist', picklist: ['-None-', 'Qualified', 'Existing Business', 'New Business'] },
    { apiName: 'Lead_Source', label: 'Lead Source', type: 'picklist', picklist: SOURCES },
    { apiName: 'Next_Step', label: 'Next Step', type: 'text' },
    { apiName: 'Description', label: 'Description', type: 'textarea' },
  ],
  Tasks: [
    owner,
    { apiName: 'Subject', label: 'Subject', type: 'text', mandatory: true },
    { apiName: 'Due_Date', label: 'Due Date', type: 'date' },
    {
      apiName: 'Status',
      label: 'Status',
      type: 'picklist',
      restricted: true,
      picklist: ['Not Started', 'Deferred', 'In Progress', 'Completed', 'Waiting for input'],
    },
    { apiName: 'Priority', label: 'Priority', type: 'picklist', restricted: true, picklist: ['High', 'Highest', 'Low', 'Lowest', 'Normal'] },
    { apiName: 'What_Id', label: 'Related To', type: 'lookup', lookup: ['Leads', 'Deals', 'Accounts'] },
    { apiName: 'Who_Id', label: 'Contact Name', type: 'lookup', lookup: ['Contacts'] },
    { apiName: 'Send_Notification_Email', label: 'Send Notification Email', type: 'boolean' },
    { apiName: 'Closed_Time', label: 'Closed Time', type: 'datetime', readOnly: true },
    { apiName: 'Description', label: 'Description', type: 'textarea' },
  ],
  Calls: [
    owner,
    { apiName: 'Subject', label: 'Subject', type: 'text', mandatory: true },
    { apiName: 'Call_Type', label: 'Call Type', type: 'picklist', mandatory: true, restricted: true, picklist: ['Inbound', 'Outbound', 'Missed'] },
    { apiName: 'Call_Start_Time', label: 'Call Start Time', type: 'datetime', mandatory: true },
    // Mandatory too, except for Missed calls: checked in validation.ts, not through this flag.
    { apiName: 'Call_Duration', label: 'Call Duration', type: 'text' },
    { apiName: 'Call_Duration_in_seconds', label: 'Call Duration (in seconds)', type: 'integer', readOnly: true },
    { apiName: 'Call_Purpose', label: 'Call Purpose', type: 'picklist', picklist: ['-None-', 'Prospecting', 'Administrative', 'Negotiation', 'Demo', 'Project', 'Desk'] },
    { apiName: 'Call_Result', label: 'Call Result', type: 'picklist', picklist: ['-None-', 'Interested', 'Not interested', 'No response/Busy', 'Requested more info', 'Requested call back', 'Invalid number'] },
    { apiName: 'Call_Agenda', label: 'Call Agenda', type: 'text' },
    { apiName: 'Outgoing_Call_Status', label: 'Outgoing Call Status', type: 'picklist', restricted: true, picklist: ['Scheduled', 'Completed', 'Cancelled', 'Overdue'] },
    { apiName: 'What_Id', label: 'Related To', type: 'lookup', lookup: ['Leads', 'Deals', 'Accounts'] },
    { apiName: 'Who_Id', label: 'Contact Name', type: 'lookup', lookup: ['Contacts'] },
    { apiName: 'Caller_ID', label: 'Caller ID', type: 'text' },
    { apiName: 'Dialled_Number', label: 'Dialled Number', type: 'text' },
    { apiName: 'CTI_Entry', label: 'CTI Entry', type: 'boolean' },
    { apiName: 'Voice_Recording__s', label: 'Voice Recording', type: 'website' },
    { apiName: 'Description', label: 'Description', type: 'textarea' },
  ],
  Notes: [
    owner,
    { apiName: 'Note_Title', label: 'Note Title', type: 'text' },
    { apiName: 'Note_Content', label: 'Note Content', type: 'textarea', mandatory: true },
    { apiName: 'Parent_Id', label: 'Parent Id', type: 'lookup', mandatory: true, lookup: ['Leads', 'Contacts', 'Accounts', 'Deals'] },
  ],
};

const MODULE_INFO: Record<ModuleName, { singular: string; nameField: string; duplicateCheckFields: string[] }> = {
  Leads: { singular: 'Lead', nameField: 'Full_Name', duplicateCheckFields: ['Email'] },
  Contacts: { singular: 'Contact', nameField: 'Full_Name', duplicateCheckFields: ['Email'] },
  Accounts: { singular: 'Account', nameField: 'Account_Name', duplicateCheckFields: ['Account_Name'] },
  Deals: { singular: 'Deal', nameField: 'Deal_Name', duplicateCheckFields: ['Deal_Name'] },
  Tasks: { singular: 'Task', nameField: 'Subject', duplicateCheckFields: [] },
  Calls: { singular: 'Call', nameField: 'Subject', duplicateCheckFields: [] },
  Notes: { singular: 'Note', nameField: 'Note_Title', duplicateCheckFields: [] },
};

export function isModuleName(value: string): value is ModuleName {
  return (MODULE_NAMES as readonly string[]).includes(value);
}

/** Builds the org's module definitions: standard fields, then the org's custom fields, then the system fields. */
export function buildModules(
  customFields: Partial<Record<ModuleName, FieldSpec[]>>,
  idFor: (kind: string) => string,
): Map<ModuleName, ModuleDef> {
  const toDef = (spec: FieldSpec, custom: boolean): FieldDef => ({ ...spec, id: idFor('field'), custom, length: LENGTH[spec.type] ?? 0 });
  return new Map(
    MODULE_NAMES.map((name) => [
      name,
      {
        apiName: name,
        id: idFor('module'),
        ...MODULE_INFO[name],
        fields: [
          ...STANDARD_FIELDS[name].map((f) => toDef(f, false)),
          ...(customFields[name] ?? []).map((f) => toDef(f, true)),
          ...systemFields.map((f) => toDef(f, false)),
        ],
      },
    ]),
  );
}

export function fieldOf(module: ModuleDef, apiName: string): FieldDef | undefined {
  return module.fields.find((f) => f.apiName === apiName);
}
