/**
 * Zoho's Composite API (`POST /crm/v8/__composite_requests`): up to five requests in one round trip, one API
 * credit (two with rollback when all succeed). With `rollback_on_fail` they run in order as one transaction: either
 * every sub-request committed, or none did; without it they run independently (reads). A sub-request refers to an
 * earlier one's result with `@{sub_request_id:$.json.path}`. Zoho's "Allowed APIs" table admits record reads and
 * writes, Search and COQL, at most 25 records per read and 1 per write (see the emulator's README).
 */
import { API_VERSION_PATH, type ZohoHttp } from './http';
import { COMPOSITE_SCOPE, missingScopes } from './scopes';

export const MAX_SUB_REQUESTS = 5;

export interface SubRequest {
  /** `[a-zA-Z0-9][a-zA-Z0-9_]*`, unique within the composite request. */
  id: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Path below `/crm/v8`. */
  path: string;
  body?: unknown;
  /** COQL or search: the sub-request takes a sub-concurrency unit of its own besides the composite's. */
  heavy?: boolean;
}

export interface SubResult {
  /** Zoho's verdict on the sub-request: `SUCCESS`, its error code, `ROLLBACK_PERFORMED` or (not run) `PROCESSING_STOPPED`. */
  code: string;
  succeeded: boolean;
  /** The sub-request's own answer; undefined when it did not run. */
  status?: number;
  body?: unknown;
}

/** A reference to the id of the record sub-request `id` created (or updated). */
export const createdIdOf = (id: string): string => `@{${id}:$.data[0].details.id}`;

/** Whether the access token may send composite requests. Unknown scopes count as no: separate requests always work. */
export async function compositeGranted(http: ZohoHttp): Promise<boolean> {
  const scopes = await http.grantedScopes();
  return scopes !== undefined && missingScopes(scopes, [COMPOSITE_SCOPE]).length === 0;
}

interface CompositeAnswer {
  __composite_requests?: { code?: string; status?: string; details?: { response?: { status_code?: number; body?: unknown } } }[];
}

/** Records a read sub-request may return (Zoho's "Allowed APIs" table). */
export const MAX_READ_RECORDS = 25;

/**
 * Sends the sub-requests in one request and lists each one's result in order: as one `transaction` (writes), or
 * `independent` of each other (reads, which Zoho runs in parallel).
 */
export async function sendComposite(http: ZohoHttp, subRequests: readonly SubRequest[], subject: string, mode: 'transaction' | 'independent'): Promise<SubResult[]> {
  if (subRequests.length === 0 || subRequests.length > MAX_SUB_REQUESTS) throw new RangeError(`a composite request holds 1 to ${MAX_SUB_REQUESTS} sub-requests, got ${subRequests.length}`);
  const { body } = await http.request({
    method: 'POST',
    path: '/__composite_requests',
    body: {
      rollback_on_fail: mode === 'transaction',
      __composite_requests: subRequests.map((sub) => ({
        sub_request_id: sub.id,
        method: sub.method,
        uri: `${API_VERSION_PATH}${sub.path}`,
        ...(sub.body === undefined ? {} : { body: sub.body }),
      })),
    },
    weight: 'composite',
    heavySubRequests: subRequests.filter((sub) => sub.heavy).length,
    subject,
    // Zoho answers 400 for a transaction it rolled back and 207 when some sub-requests ran: the results are in the body.
    readsOwnAnswer: (response) => Array.isArray((response.body as CompositeAnswer | undefined)?.__composite_requests),
  });
  const answers = (body as CompositeAnswer | undefined)?.__composite_requests ?? [];
  return subRequests.map((_, i) => {
    const answer = answers[i];
    const response = answer?.details?.response;
    return {
      code: answer?.code ?? 'NO_ANSWER',
      succeeded: answer?.status === 'success',
      ...(response ? { status: response.status_code, body: response.body } : {}),
    };
  });
}
