/**
 * Every CRM API call goes through here: the org's access token, the organisation's concurrency limiter,
 * credit tracking, one refresh-and-retry when Zoho rejects the token, backoff on 429, and the mapping of Zoho's
 * answers onto the typed errors of errors.ts.
 */
import type { Logger } from 'pino';
import { Authorization, type Access } from './authorization';
import { creditsIn, type CreditTracker } from './credits';
import { ZohoAuthorizationError, ZohoRateLimitError, ZohoTransientError, ZohoValidationError, type ZohoError } from './errors';
import type { OrgLimiter, RequestWeight } from './limiter';
import { endpointOf, type ZohoTelemetry } from './telemetry';
import { send } from './transport';

export const API_VERSION_PATH = '/crm/v8';

/** 429s are retried this many times inside the client before a ZohoRateLimitError goes to Temporal. */
const RATE_LIMIT_RETRIES = 4;
const RATE_LIMIT_BASE_DELAY_MS = 400;

/** 401 codes that mean "this access token is no longer good"; a fresh token fixes them. */
const TOKEN_REJECTED = new Set(['INVALID_TOKEN', 'AUTHENTICATION_FAILURE']);

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT';
  /** Path below `/crm/v8`, e.g. `/Leads/123`. */
  path: string;
  params?: Record<string, string | number>;
  body?: unknown;
  /** `heavy` for search and COQL, which Zoho also counts against its sub-concurrency limit. */
  weight?: RequestWeight;
  /** A composite's heavy sub-requests, each taking a sub-concurrency unit of its own while the composite runs. */
  heavySubRequests?: number;
  /** What the call is about, named in error messages: `create Leads record`, `COQL on Deals`… */
  subject: string;
  /** An answer the caller reads itself even when it is not a 2xx (a composite's per-sub-request results in a 400). */
  readsOwnAnswer?(response: ApiResponse): boolean;
}

export interface ApiResponse {
  status: number;
  /** Parsed JSON; undefined for 204 No Content. */
  body: unknown;
}

export interface ZohoErrorBody {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/**
 * Zoho's error envelope, either top level or as the first element of a per-item array: `data` for records,
 * `fields` for the Fields API.
 */
export function zohoErrorOf(body: unknown): ZohoErrorBody | undefined {
  const items = body as { data?: unknown[]; fields?: unknown[] } | undefined;
  const list = Array.isArray(items?.data) ? items.data : Array.isArray(items?.fields) ? items.fields : undefined;
  const candidate = (list ? list[0] : body) as Partial<ZohoErrorBody> | undefined;
  if (!candidate || typeof candidate.code !== 'string') return undefined;
  return { code: candidate.code, message: String(candidate.message ?? ''), details: candidate.details ?? {} };
}

/** The field a Zoho error is about: `api_name` for record errors, `param_name` for bad parameters. */
export function fieldOf(details: Record<string, unknown>): string | undefined {
  const field = details.api_name ?? details.param_name;
  return typeof field === 'string' ? field : undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class ZohoHttp {
  constructor(
    private readonly authorisation: Authorization,
    private readonly limiter: OrgLimiter,
    private readonly credits: CreditTracker,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly telemetry: ZohoTelemetry,
  ) {}

  /** The scopes of the current access token; undefined when Zoho did not list them. */
  async grantedScopes(): Promise<string[] | undefined> {
    return (await this.authorisation.access()).token.scopes;
  }

  async request(request: ApiRequest): Promise<ApiResponse> {
    for (let retry = 0; ; retry++) {
      const response = await this.sendAuthorized(request);
      if (response.status !== 429) return request.readsOwnAnswer?.(response) ? response : this.interpret(response, request.subject);
      const reason = zohoErrorOf(response.body)?.message ?? 'too many requests';
      if (retry === RATE_LIMIT_RETRIES) {
        throw new ZohoRateLimitError(`${request.subject}: Zoho answered 429 (${reason}) ${retry + 1} times`);
      }
      // Exponential backoff with jitter, so callers that were refused together do not come back together.
      const delayMs = RATE_LIMIT_BASE_DELAY_MS * 2 ** retry * (0.5 + Math.random() / 2);
      this.logger.warn({ subject: request.subject, reason, retryInMs: Math.round(delayMs) }, 'Zoho CRM answered 429; backing off');
      await sleep(delayMs);
    }
  }

  private async sendAuthorized(request: ApiRequest): Promise<ApiResponse> {
    const access = await this.authorisation.access();
    const response = await this.send(access, request);
    if (response.status !== 401 || !TOKEN_REJECTED.has(zohoErrorOf(response.body)?.code ?? '')) return response;
    this.logger.info({ subject: request.subject }, 'Zoho CRM rejected the access token; refreshing it once');
    this.authorisation.reject(access);
    return this.send(await this.authorisation.access(), request);
  }

  private async send(access: Access, request: ApiRequest): Promise<ApiResponse> {
    const startedAt = Date.now();
    const response = await this.limiter.run(request.weight ?? 'standard', request.heavySubRequests ?? 0, () =>
      send({
        method: request.method,
        url: `${access.token.apiDomain}${API_VERSION_PATH}${request.path}`,
        headers: { authorization: `Zoho-oauthtoken ${access.token.accessToken}` },
        params: request.params,
        data: request.body,
        timeoutMs: this.timeoutMs,
        subject: request.subject,
      }),
    );
    const credits = response.headers['x-api-credits-remaining'];
    this.credits.observe(response.status, credits, this.logger);
    this.telemetry.requested(endpointOf(request.path), request.method, response.status);
    const remaining = creditsIn(credits);
    if (remaining !== undefined) this.telemetry.creditsRemaining(remaining);
    this.logger.debug(
      { method: request.method, path: request.path, status: response.status, ms: Date.now() - startedAt },
      'Zoho CRM request',
    );
    return { status: response.status, body: response.status === 204 ? undefined : response.data };
  }

  /** The answer if it is a success; otherwise the typed error it means (also for a composite's sub-request). */
  interpret(response: ApiResponse, subject: string): ApiResponse {
    if (response.status >= 200 && response.status < 300) return response;
    throw failureOf(response, subject);
  }
}

/**
 * Zoho's refusal of one record the authorising user may not change (record sharing, a territory, an owner whose
 * records they may not edit): "no permission to perform an action on this record", documented on the Mass Update
 * Records and Meeting Cancel pages (https://www.zoho.com/crm/developer/docs/api/v7/mass-update-records.html) and
 * among the record errors of Zoho's v8 OpenAPI. Only the call that writes that record can fail for it.
 */
const RECORD_REFUSED = 'CANNOT_PERFORM_ACTION';
const RECORD_REFUSED_ADVICE =
  'the authorising Zoho user may not change this record (its sharing, territory or owner keep it from them): give them access to it in Zoho, or re-activate as a user who has it, then run `callmatrix calls retry` on this call; the other calls go on';

/** Zoho's refusal of the request's data or record: no retry helps, the call fails and says why (L3). */
export function refusalOf(error: ZohoErrorBody, subject: string): ZohoValidationError {
  const advice = error.code === RECORD_REFUSED ? RECORD_REFUSED_ADVICE : undefined;
  return new ZohoValidationError(error.code, subject, fieldOf(error.details), error.message, error.details, advice);
}

/**
 * The typed error a non-2xx answer means. A refusal that re-activation by a user with the right permissions fixes
 * breaks the integration, so every call suspends until then (R1): a missing scope, and NO_PERMISSION, which Zoho
 * documents only for the user's profile (module, field or custom-view permissions, named in
 * `details.permissions`: "Permission denied to update … The user does not have permission to update records data",
 * https://www.zoho.com/crm/developer/docs/api/v7/update-records.html), never for one record — one that names no
 * permission is read the same way, the stricter reading. A refusal of one record (CANNOT_PERFORM_ACTION) or of
 * the data fails the call at hand only.
 */
export function failureOf({ status, body }: ApiResponse, subject: string): ZohoError {
  if (status >= 500) return new ZohoTransientError(`${subject}: Zoho CRM answered HTTP ${status}`);
  const error = zohoErrorOf(body) ?? { code: `HTTP_${status}`, message: 'no error body', details: {} };
  if (error.code === 'OAUTH_SCOPE_MISMATCH') {
    return new ZohoAuthorizationError('scope', `${subject}: the Zoho authorisation lacks a required scope (${error.message})`);
  }
  if (error.code === 'NO_PERMISSION') {
    return new ZohoAuthorizationError('permission', `${subject}: the authorising Zoho user has no permission (${error.message})`);
  }
  if (TOKEN_REJECTED.has(error.code)) {
    // A token Zoho has just issued was refused too: most likely propagation inside Zoho, so worth a later retry.
    return new ZohoTransientError(`${subject}: Zoho CRM refused a freshly refreshed access token (${error.code})`);
  }
  return refusalOf(error, subject);
}
