/**
 * What the matrix needs to decide: the call (summarised from its events by the workflow), what the CRM knows about
 * the caller, the settings, and the CRM facts that rules depend on. Everything is plain data — time included —
 * because the matrix runs inside workflow code.
 */
import type { CallDirection, CallOutcome, EmployeeLeg, VisitData } from '../common/call-event';
import type { Settings } from './settings-schema';

/** What is known when the call starts ringing (O1). */
export interface CallStartFacts {
  provider: string;
  callId: string;
  direction: CallDirection;
  /** ISO-8601 with offset or `Z`. */
  startedAt: string;
  /** The client's number as the telephony sent it. */
  clientNumberRaw?: string;
  /** The client's number in E.164, null when it could not be read (hidden, malformed). */
  clientPhone: string | null;
  /** Tracking number dialled (incoming) or company line used (outgoing). */
  companyNumber?: string;
  visit: VisitData;
  /** Every parameter the telephony sent, under the product's names: source of D3 mappings and D4 rules. */
  parameters: Record<string, string>;
}

/** The whole call, once it has ended. */
export interface CallFacts extends CallStartFacts {
  outcome: CallOutcome;
  /** ISO-8601, by the telephony's clock when it gave the start and the duration; absent when the end event never came. */
  endedAt?: string;
  /** The FIRST employee who answered (incoming) or placed (outgoing) the call (M16). */
  employee?: EmployeeLeg;
  /** The call was transferred to other employees after the first one (M16). */
  transferred: boolean;
  /** Absent when the end event did not say (billsec missing or unreadable, or no end event): not the same as 0. */
  talkSeconds?: number;
  durationSeconds: number;
  recordingUrl?: string;
}

interface FoundRecord {
  id: string;
  /** Zoho user id of the record's Owner. */
  ownerId: string;
  /** ISO-8601 `Created_Time`: the newest record wins among several matches; O2 updates only fresh ones. */
  createdTime: string;
  /** Display name (lead or contact full name, deal name), for explanations. */
  name?: string;
}

export interface FoundLead extends FoundRecord {
  /** `Converted__s`: a converted lead is history, not an open lead. */
  converted?: boolean;
}

export interface FoundDeal extends FoundRecord {
  /** Id of the deal's `Contact_Name`. */
  contactId?: string;
  stage: string;
  /** Pipeline display name; absent (or null) in orgs without pipelines. */
  pipeline?: string | null;
}

export type FoundContact = FoundRecord;

/** A task found linked to the caller's lead or deal: O2 updates the one another integration made for this call. */
export interface FoundTask extends FoundRecord {
  status: string;
  what?: { module: 'Leads' | 'Deals'; id: string };
}

/** A not yet completed task of the caller's records, which a call that reaches the client may complete (C3). */
export interface FoundOpenTask extends FoundRecord {
  subject: string;
  status: string;
  /** It carries callmatrix's idempotency marker: callmatrix created it. C3 touches no other task. */
  madeByCallmatrix: boolean;
  /** The task's current Description, which the closing note is appended to. */
  description: string;
}

/**
 * An answered call with the client that callmatrix already wrote (its Calls record, C1, or the completed task of the
 * employee on the call): a missed call written after it (L1 reconciliation, a late event) finds its client reached (C3).
 */
export interface FoundAnsweredCall {
  module: 'Calls' | 'Tasks';
  id: string;
  subject: string;
  /**
   * ISO 8601: when the call started, exact from a Calls record's `Call_Start_Time`, the start of its minute from a
   * task's `Time:` line: never later than the call really started.
   */
  startedAt: string;
  /** It carries callmatrix's idempotency marker: a record someone else wrote says nothing C3 may act on. */
  madeByCallmatrix: boolean;
}

/** The client lookup by every phone variant (M17). The matrix decides what counts as open. */
export interface CallerLookup {
  leads: FoundLead[];
  deals: FoundDeal[];
  contacts: FoundContact[];
  /** Only needed in `update-existing` mode (O2). */
  tasks?: FoundTask[];
  /** Only asked for when a call reaches the client and callbacks close themselves (C3). */
  openTasks?: FoundOpenTask[];
  /** Only asked for when a missed call is written late (see `ClientLookupQuery.answeredCallsSince`, C3). */
  answeredCalls?: FoundAnsweredCall[];
  /**
   * In a rerun of the after-call stage: the records this call made while it rang (O1), found by their markers and
   * left out of `leads`, for a run that did not make them itself to complete them as the first try would have.
   */
  ownBeforeCall?: CreatedBeforeCall;
}

/** A deal pipeline of the CRM (D4); a deal is open while its stage is one of the pipeline's Open stages. */
export interface CrmPipeline {
  name: string;
  isDefault: boolean;
  /** Stages whose `forecast_type` is `Open`, in the pipeline's order. */
  openStages: string[];
}

/** Records O1 created when the call started, which the after-call plan completes instead of creating anew. */
export interface CreatedBeforeCall {
  leadId?: string;
  taskId?: string;
}

export interface MatrixStartInput {
  call: CallStartFacts;
  lookup: CallerLookup;
  settings: Settings;
  /** Deal pipelines of the CRM: which deals are open, and where new deals go (D4). */
  pipelines: CrmPipeline[];
  /** IANA time zone of the Zoho account: task due dates are dates there. */
  timeZone: string;
  /** The org's Calls module has `Voice_Recording__s`: the call's record (C1) carries the recording there too. */
  callRecordingField?: boolean;
  /**
   * The Zoho users who may own records (status active). Absent (a call recorded before it was read): every owner
   * found is taken to be one, as then.
   */
  activeUserIds?: readonly string[];
}

/** What the client lookup asks Zoho (see `callerLookupQuery`). */
export interface ClientLookupQuery {
  /** E.164; searched in every format it may have been stored in. */
  clientPhone: string;
  defaultCountry: string;
  /** Also the tasks of the leads and deals created since then (ISO 8601): update-existing mode (O2) only. */
  tasksOfRecordsSince?: string;
  /** Also the caller's tasks not completed and created since then (ISO 8601): a call that reaches the client (C3). */
  openTasksSince?: string;
  /**
   * A missed incoming call that would write a callback task: the answered calls with the client callmatrix wrote
   * that started since then (ISO 8601, the missed call's end), asked for only when the call is written late (C3).
   */
  answeredCallsSince?: string;
  /**
   * A rerun of a stage of a call leaves out the records that stage of the call creates (the idempotency prefix of
   * its plan, `<workflow id>/<stage>`; the creates in CALLER_RECORD_KEYS), and decides on the CRM as the try that
   * may have written them saw it (L2).
   */
  leaveOutRecordsOf?: string;
}

export interface MatrixInput extends MatrixStartInput {
  call: CallFacts;
  /**
   * Round-robin position for missed-call distribution (O4), kept by the workflow side across calls and restarts;
   * the plan says in `distribution` whether it consumed it.
   */
  distributionTurn: number;
  /** What `planCallStart` created for this call, when createBeforeCall (O1) is on. */
  createdBeforeCall?: CreatedBeforeCall;
}
