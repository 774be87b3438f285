/**
 * Ringostat's webhooks. The admin chooses method, format and parameter names in Ringostat; the shim has already
 * flattened the request (query, body, `additional_call_data`) and applied the configured renaming, so the names
 * here are Ringostat's own call-log names (help.ringostat.com, "Call log" fields).
 */
import { z } from 'zod';
import { CALL_ID, type CallDirection, type CallOutcome, type EmployeeLeg } from '../common/call-event';
import { wallClockInstant } from '../common/local-time';
import type { AdapterResult, CallLogAccess, DroppedField, TelephonyAdapter, WebhookInput } from './provider';
import { ringostatCallLog } from './ringostat-call-log';
import { PLAIN_WORDS } from '../config/config-error';

const optional = z.string().trim().optional().transform((v) => (v === '' ? undefined : v));
// A number of seconds (`42`, `42.5`), or a clock reading of the duration, `h:mm:ss` or `m:ss` (`00:01:23`, `1:23`),
// as a webhook's chosen format may write it.
const seconds = z
  .string()
  .trim()
  .regex(/^(\d+(\.\d+)?|(\d+:)?[0-5]?\d:[0-5]\d)$/, 'expected a number of seconds (42) or h:mm:ss')
  .transform((v) => Math.round(v.split(':').reduce((total, part) => total * 60 + Number(part), 0)))
  .optional();

const DIRECTIONS: Record<string, CallDirection> = {
  in: 'incoming',
  incoming: 'incoming',
  inbound: 'incoming',
  callback: 'incoming',
  out: 'outgoing',
  outgoing: 'outgoing',
  outbound: 'outgoing',
  internal: 'internal',
  local: 'internal',
};

/** Ringostat call statuses (help.ringostat.com/en/articles/6413217) folded into what the matrix needs. */
const DISPOSITIONS: Record<string, CallOutcome> = {
  ANSWERED: 'answered',
  PROPER: 'answered',
  REPEATED: 'answered',
  'REPEAT CALL': 'answered',
  'NO ANSWER': 'missed',
  NOANSWER: 'missed',
  BUSY: 'missed',
  FAILED: 'missed',
  'NO ANSWER FROM CUSTOMER': 'missed',
  'FORWARDING SCHEME DID NOT WORK': 'missed',
  'WRONG EXTENSION': 'missed',
  'NO EXTENSION': 'missed',
  'FORBIDDEN DESTINATION': 'missed',
  VOICEMAIL: 'voicemail',
};

const ringostatSchema = z.object({
  uniqueid: z
    .string()
    .trim()
    .min(1, 'the call id is required')
    .max(CALL_ID.maxLength, `at most ${CALL_ID.maxLength} characters`)
    .regex(CALL_ID.pattern, `only ${CALL_ID.description}`),
  calldate: optional,
  call_type: z
    .string()
    .trim()
    .toLowerCase()
    .refine((v) => v in DIRECTIONS, { message: `expected one of ${Object.keys(DIRECTIONS).join(', ')}` })
    .optional(),
  caller: optional,
  dst: optional,
  disposition: optional,
  billsec: seconds,
  duration: seconds,
  // It goes into tasks as a link a manager clicks: javascript:, data: and file: links are refused (#14).
  recording: z
    .url({ protocol: /^https?$/, message: 'expected an http(s) URL' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  connected_with: optional,
  employee_number: optional,
  employee_fio: optional,
  pool_name: optional,
  utm_source: optional,
  utm_medium: optional,
  utm_campaign: optional,
  utm_term: optional,
  utm_content: optional,
  client_id: optional,
  landing: optional,
  transferred: optional,
});

type RingostatFields = z.infer<typeof ringostatSchema>;

/** Parameters a call can be processed without: all but its id, `uniqueid`. */
const OPTIONAL: ReadonlySet<string> = new Set(Object.keys(ringostatSchema.shape).filter((name) => name !== 'uniqueid'));

/**
 * The parameters, read. An unreadable optional one (an unknown `call_type`, a `recording` that is no http(s) URL)
 * is dropped rather than refusing the call: Ringostat does not re-send a refused webhook and reconciliation reads
 * the call log through this adapter too, so a refusal would lose the call for one field it can do without.
 * An unreadable required one refuses the call, naming every unreadable field.
 */
function readFields(parameters: Record<string, string>): { ok: true; fields: RingostatFields; dropped: DroppedField[] } | { ok: false; errors: string[] } {
  const parsed = ringostatSchema.safeParse(parameters, { error: PLAIN_WORDS });
  if (parsed.success) return { ok: true, fields: parsed.data, dropped: [] };
  const problems = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'request', problem: issue.message }));
  const errors = problems.map(({ field, problem }) => `${field}: ${problem}`);
  if (problems.some(({ field }) => !OPTIONAL.has(field))) return { ok: false, errors };
  const unreadable = new Set(problems.map(({ field }) => field));
  const kept = ringostatSchema.safeParse(Object.fromEntries(Object.entries(parameters).filter(([name]) => !unreadable.has(name))));
  return kept.success ? { ok: true, fields: kept.data, dropped: problems } : { ok: false, errors };
}

/** A SIP login or extension rather than a phone number: letters, or too short to be a public number. */
function looksLikeSip(value: string): boolean {
  return /[a-z@]/i.test(value) || value.replace(/\D/g, '').length <= 6;
}

function legOf(value: string | undefined, name: string | undefined): EmployeeLeg | undefined {
  if (!value && !name) return undefined;
  const leg: EmployeeLeg = {};
  if (value) {
    if (looksLikeSip(value)) {
      if (/^\d+$/.test(value)) leg.extension = value;
      else leg.sipLogin = value;
    } else leg.phone = value;
  }
  if (name) leg.name = name;
  return leg;
}

/**
 * The direction `call_type` names — or, when it is absent (or unreadable and left out), the one the numbers show:
 * an outgoing call has the dialling employee's device in `caller` and the client's number in `dst` (an incoming
 * one the client's number in `caller`), and an employee's device is a SIP login or a short extension (peers tell
 * an extension by its length likewise). A phone number in `caller` is left undecided, read as incoming: said here,
 * it would outrank a `call_type` a later event of the call carries, since a call's first stated direction counts.
 */
function directionOf(fields: RingostatFields): CallDirection | undefined {
  if (fields.call_type) return DIRECTIONS[fields.call_type];
  const employeeDialled = fields.caller !== undefined && looksLikeSip(fields.caller);
  const clientDialled = fields.dst !== undefined && !looksLikeSip(fields.dst);
  return employeeDialled && clientDialled ? 'outgoing' : undefined;
}

function outcomeOf(fields: RingostatFields): CallOutcome | undefined {
  const status = fields.disposition?.toUpperCase().replace(/_/g, ' ');
  const mapped = status ? DISPOSITIONS[status] : undefined;
  // billsec is talk time: zero means nobody talked, whatever the status says (voicemail excepted).
  if (mapped === 'answered' && fields.billsec === 0) return 'missed';
  if (mapped) return mapped;
  if (fields.billsec !== undefined) return fields.billsec > 0 ? 'answered' : 'missed';
  return undefined;
}

/**
 * `calldate` as an instant (ISO-8601, UTC) — or, without a time zone to read it in, as the wall-clock reading
 * `yyyy-MM-ddTHH:mm:ss` the workflow reads in the CRM's zone. Ringostat writes it in the project's own time,
 * `YYYY-MM-DD HH:mm:ss` by default; the admin may pick another format per webhook, so ISO-8601 with an offset and
 * Unix timestamps (seconds or milliseconds) are read too. Never in the process's own zone. What does not parse is
 * left out: the call then counts from when its first webhook arrived.
 */
function callTime(value: string | undefined, timeZone: string | undefined): string | undefined {
  if (!value) return undefined;
  if (/^\d{9,10}$/.test(value)) return new Date(Number(value) * 1000).toISOString();
  if (/^\d{12,13}$/.test(value)) return new Date(Number(value)).toISOString();
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(value);
  if (local) {
    const wallClock = `${local[1]}T${local[2]}${local[3] ?? ':00'}`;
    if (Number.isNaN(Date.parse(`${wallClock}Z`))) return undefined;
    return timeZone ? wallClockInstant(wallClock, timeZone) : wallClock;
  }
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value)) return undefined;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : new Date(instant).toISOString();
}

export const ringostatAdapter: TelephonyAdapter = {
  provider: 'ringostat',
  parameters: Object.keys(ringostatSchema.shape),
  toCallEvent({ moment, parameters, receivedAt, timeZone }: WebhookInput): AdapterResult {
    const read = readFields(parameters);
    if (!read.ok) return read;
    const f = read.fields;
    const direction = directionOf(f);
    const outgoing = direction === 'outgoing';
    // connected_with may list every employee the call went through; the first is the one who answered (M16).
    const connected = f.connected_with?.split(/[,;]/).map((s) => s.trim()).filter(Boolean) ?? [];
    const employeeValue = connected[0] ?? f.employee_number ?? (outgoing ? f.caller : undefined);
    return {
      ok: true,
      event: {
        provider: 'ringostat',
        callId: f.uniqueid,
        moment,
        receivedAt: receivedAt.toISOString(),
        startedAt: callTime(f.calldate, timeZone),
        direction,
        clientNumber: outgoing ? f.dst : f.caller,
        companyNumber: outgoing ? undefined : f.dst,
        employee: legOf(employeeValue, f.employee_fio),
        outcome: moment === 'end' ? outcomeOf(f) : undefined,
        talkSeconds: f.billsec,
        durationSeconds: f.duration,
        recordingUrl: f.recording,
        transferred: connected.length > 1 || ['1', 'true', 'yes'].includes(f.transferred?.toLowerCase() ?? ''),
        visit: {
          utmSource: f.utm_source,
          utmMedium: f.utm_medium,
          utmCampaign: f.utm_campaign,
          utmTerm: f.utm_term,
          utmContent: f.utm_content,
          googleClientId: f.client_id,
          landingPage: f.landing,
          poolName: f.pool_name,
        },
        parameters,
      },
      dropped: read.dropped,
    };
  },
  openCallLog(access: CallLogAccess) {
    return ringostatCallLog(ringostatAdapter, access);
  },
};
