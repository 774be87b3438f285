/** The client's public vocabulary: credentials, editions, record summaries and metadata shapes. */
import type { DataCentre } from './data-centres';

export type { DataCentre };

/** Zoho CRM editions; each has its own API concurrency limit (see limiter.ts). */
export type Edition = 'free' | 'standard' | 'professional' | 'enterprise' | 'ultimate';

export type ZohoModule = 'Leads' | 'Contacts' | 'Deals' | 'Tasks' | 'Calls' | 'Notes';

export interface ZohoCredentials {
  dc: DataCentre;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Overrides the DC's accounts server (the emulator serves one per DC under its own URL). */
  accountsUrl?: string;
}

/** An access token kept where every process of the deployment finds it (the activation file). */
export interface SharedAccessToken {
  /** The authorisation it was issued for (token-cache.ts: accounts server, client id, refresh token's hash). */
  key: string;
  accessToken: string;
  apiDomain: string;
  scopes?: string[];
  /** When it is due for refresh (epoch ms), a little ahead of its expiry. */
  refreshAt: number;
}

/** Where the client reads credentials; consulted on each token refresh so re-activation takes effect at once. */
export interface CredentialsSource {
  current(): Promise<ZohoCredentials | null>;
  /**
   * Optional: the access token another process of the deployment refreshed, and where to keep one this process
   * refreshed. Zoho allows about 10 refreshes per 10 minutes per refresh token: without sharing, every CLI command
   * and every worker or shim start spends one, and a few in a row lock the whole deployment out for minutes.
   */
  sharedAccessToken?(): SharedAccessToken | undefined;
  keepAccessToken?(token: SharedAccessToken): Promise<void>;
}

export interface ZohoRecordRef {
  id: string;
  module: ZohoModule;
  ownerId: string;
  ownerName?: string;
}

/** Non-empty phone-type fields of a record by api_name, e.g. `{ Phone: '+380671234567' }`. */
export type PhoneFields = Record<string, string>;

/** What the phone lookups return: enough to pick a record and its responsible manager. */
interface RecordSummary extends ZohoRecordRef {
  /** Full_Name of a person, Deal_Name of a deal. */
  name: string;
  /** Created_Time as Zoho returns it (ISO-8601 with offset): lets callers prefer the newest of several matches. */
  createdTime: string;
  phones: PhoneFields;
}

export interface LeadSummary extends RecordSummary {
  module: 'Leads';
}

export interface ContactSummary extends RecordSummary {
  module: 'Contacts';
}

export interface DealSummary extends RecordSummary {
  module: 'Deals';
  stage: string;
  /** Null when the org has no pipelines on the deal's layout. */
  pipeline: string | null;
  contactId: string;
  /** For deals: the phone fields of the deal's contact (Contact_Name) that the lookup matched on. */
  phones: PhoneFields;
}

/** The modules a caller lookup reads. */
export type CallerModule = 'Leads' | 'Contacts' | 'Deals';

/** What one caller lookup finds: open leads only (C4), contacts, deals in an Open stage; [] for a module not asked. */
export interface CallerRecords {
  leads: LeadSummary[];
  contacts: ContactSummary[];
  deals: DealSummary[];
  /** The records left out of the lookup by a marker they carry: marker → record id. */
  leftOut?: Record<string, string>;
}

export interface ZohoUser {
  id: string;
  full_name: string;
  email: string;
  status: string;
  confirm?: boolean;
  phone?: string | null;
  mobile?: string | null;
  zuid?: string;
  role?: { id: string; name: string };
  profile?: { id: string; name: string };
}

export interface ZohoOrg {
  id: string;
  company_name: string;
  /** The org's segment of CRM web URLs (`crm.zoho.eu/crm/<domain_name>/tab/…`): `org<zgid>` unless renamed. */
  domain_name?: string;
  time_zone?: string;
  type?: string;
  license_details?: { paid_type?: string; users_license_purchased?: number };
}

export interface ZohoField {
  id?: string;
  api_name: string;
  field_label?: string;
  /** `text`, `textarea`, `phone`, `picklist`, `lookup`, `ownerlookup`, … */
  data_type: string;
  system_mandatory?: boolean;
  custom_field?: boolean;
  length?: number;
  unique?: unknown;
  pick_list_values?: { display_value: string; actual_value: string }[];
  lookup?: { module?: { api_name?: string } | string };
}

export interface ZohoLayout {
  id: string;
  name: string;
  status?: string;
}

export interface ZohoPipelineStage {
  id: string;
  display_value: string;
  actual_value: string;
  sequence_number?: number;
  /** `Open`, `Closed Won` or `Closed Lost`. */
  forecast_type: string;
}

export interface ZohoPipeline {
  id: string;
  display_value: string;
  actual_value: string;
  default: boolean;
  maps: ZohoPipelineStage[];
}

/** A Deals pipeline as the calls and the checks of the settings use it (D4): its name, and its Open stages in order. */
export interface DealPipeline {
  name: string;
  isDefault: boolean;
  openStages: string[];
}

/** A task linked (`What_Id`) to a lead or deal: O2 updates the one another integration made for the call. */
/** A task not completed, for C3: whether callmatrix created it, and its text to append the closing note to. */
export interface OpenTaskSummary {
  id: string;
  ownerId: string;
  subject: string;
  status: string;
  createdTime: string;
  description: string;
  madeByCallmatrix: boolean;
}

/** A Calls record or a task callmatrix may have written for an answered call with a client (C3). */
export interface AnsweredCallSummary {
  module: 'Calls' | 'Tasks';
  id: string;
  subject: string;
  /** A Calls record's `Call_Start_Time`; a task tells its call's time in its Description. */
  callStartTime?: string;
  description: string;
  madeByCallmatrix: boolean;
}

export interface TaskSummary extends ZohoRecordRef {
  module: 'Tasks';
  subject: string;
  status: string;
  createdTime: string;
  what: { module: 'Leads' | 'Deals'; id: string };
}
