/**
 * What the Zoho clients of one org share: the access token (Zoho throttles refreshes and caps live tokens per
 * refresh token), the concurrency limiter and credit tracker (Zoho counts both per org and app), and the creates
 * in flight (so a retry cannot race its own first attempt). One per org context, never at module level, so a
 * process can serve several orgs; a client made without one gets its own.
 */
import { CreditTracker } from './credits';
import { CreateQueue } from './idempotency';
import { OrgLimiter } from './limiter';
import { TokenCache } from './token-cache';
import type { Edition } from './types';

export class ZohoOrgState {
  readonly tokens = new TokenCache();
  readonly limiter: OrgLimiter;
  readonly credits: CreditTracker;
  readonly creates = new CreateQueue();

  constructor(edition: Edition) {
    this.limiter = new OrgLimiter(edition);
    this.credits = new CreditTracker(edition);
  }
}
