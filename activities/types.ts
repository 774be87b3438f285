/** Data the activities hand to the workflow. Plain, serialisable, free of tokens. */
import type { CrmFacts } from '../matrix/decide';

/**
 * The settings and CRM facts a call is decided with (`loadCrmContext`), recorded once in the call's history: the
 * `crm` of matrix/decide.ts. The org's IANA time zone counts due dates and the resend window (R2).
 */
export type CrmContext = CrmFacts;
