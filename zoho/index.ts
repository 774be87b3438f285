/** The Zoho CRM v8 client used by activities (and only by them: workflows never do I/O). */
export { createZohoClient, type ZohoClient, type ZohoClientOptions } from './client';
export { ZohoOrgState } from './org-state';
export type { CreateResult } from './records';
export { writtenIdOf, type RecordWrite, type WriteOptions } from './record-writes';
export { MAX_SUB_REQUESTS } from './composite';
export { ACCOUNTS_SERVERS } from './data-centres';
export { exchangeAuthorizationCode } from './oauth';
export { MARKER_PLACEMENT, markerOf, withMarker } from './idempotency';
export {
  NON_RETRYABLE_ZOHO_ERRORS,
  ZohoAuthorizationError,
  ZohoError,
  ZohoRateLimitError,
  ZohoTransientError,
  ZohoValidationError,
  type AuthorizationFailure,
} from './errors';
export type * from './types';
