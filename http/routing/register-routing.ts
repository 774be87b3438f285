/**
 * The smart-routing endpoint (S1–S3): the telephony asks it, while the caller hears the ring-back tone, which
 * manager owns the caller, and forwards the call there. Every path answers within the deadline; anything that
 * goes wrong answers "continue", so the telephony falls back to its own scheme and no call is lost.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { normalizePhone } from '../../common/phone';
import { employeesWhoCanOwn } from '../../matrix/employees';
import type { Settings } from '../../matrix/settings-schema';
import type { Metrics } from '../../observability/metrics';
import { loggedError } from '../../observability/logged-error';
import { throttledLog } from '../../observability/throttled-log';
import type { ZohoClient } from '../../zoho';
import { flattenParameters } from '../../telephony/flatten-parameters';
import { requireSecret, type WrongSecrets } from '../secret';
import { describeDecision, sendAnswer } from './answer';
import { clientAddress } from '../forwarded';
import { RateLimit } from '../rate-limit';
import { OwnerLookup } from './owner-lookup';
import { continueWith, decideRoute, type RoutingDecision } from './responsible-manager';

export const ROUTING_PATH = '/routing/ringostat';

export interface RoutingDeps {
  zoho: ZohoClient;
  /** Read on every request, so edited settings apply to the next call. */
  settings: () => Settings;
  /** The webhook secret: the telephony passes it as `?secret=` here too. */
  webhookSecret: string;
  /** The process's budget of wrong secrets per source, shared with the webhook and codec endpoints. */
  wrongSecrets: WrongSecrets;
  /** True while Zoho authorisation is broken (R1): answer "continue" at once instead of waiting on Zoho. */
  integrationBroken: () => boolean;
  logger: Logger;
  /**
   * CALLMATRIX_ROUTING_LOOKUPS_PER_MINUTE: requests with a caller number per source address and minute; past it,
   * "continue" without asking Zoho, so whoever has the secret cannot spend the org's credits. Unset or 0: no limit.
   */
  lookupsPerMinute?: number;
  /** CALLMATRIX_TRUST_PROXY: count per X-Forwarded-For address. */
  trustProxy?: boolean;
  /** Times every answer and counts its decision. */
  metrics?: Pick<Metrics, 'routing'>;
}

/** Resolves to `onTimeout` if `work` has not settled within `ms`; `work` goes on and may still fill the cache. */
function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(resolve, ms, onTimeout);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Adds `GET|POST|PUT /routing/ringostat?secret=…` to `app`. */
export function registerRouting(app: FastifyInstance, deps: RoutingDeps): void {
  const lookup = new OwnerLookup(deps.zoho);
  const { logger } = deps;
  const warnRejected = throttledLog(logger);
  const warnLookupFailed = throttledLog(logger);
  const limit = deps.lookupsPerMinute ? new RateLimit(deps.lookupsPerMinute, 60_000) : undefined;

  async function decide(caller: string | undefined, settings: Settings, source: string): Promise<RoutingDecision> {
    if (deps.integrationBroken()) return continueWith('integration-broken');
    const { defaultCountry } = settings.telephony;
    const e164 = caller ? normalizePhone(caller, defaultCountry) : null;
    if (!e164) return continueWith('no-caller');
    if (limit && !limit.take(source)) return continueWith('rate-limited');
    const { routing } = settings;
    const owners = lookup.owners(e164, routing.priority, defaultCountry, {
      ttlMs: routing.cacheTtlSeconds * 1000,
      maxEntries: routing.cacheMaxNumbers,
    });
    // An employee whose Zoho user was deactivated is no employee to route to (S3): their records' callers go on to
    // the next record's owner, or the telephony's own scheme, rather than ringing a line nobody answers.
    const employees = deps.zoho.activeUserIds().then((ids) => employeesWhoCanOwn(settings.employees, ids));
    const decision = employees.then((usable) => decideRoute(owners, routing.priority, usable, routing.destinations)).catch((error: unknown) => {
      // Per call, and the same for every call while Zoho is down or not activated: one line a minute.
      warnLookupFailed('lookup', loggedError(error), 'routing lookup failed; answering "continue"');
      return continueWith('zoho-error');
    });
    return withDeadline(decision, routing.deadlineMs, continueWith('deadline'));
  }

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const startedAt = performance.now();
    const settings = deps.settings();
    const caller = flattenParameters(request.query, request.body, {})[settings.routing.callerParameter];
    const source = clientAddress(request, deps.trustProxy ?? false);
    const decision = await decide(caller, settings, source);
    const ms = performance.now() - startedAt;
    deps.metrics?.routing.answered(describeDecision(decision), ms / 1000);
    logger.info(
      {
        ...(decision.action === 'continue' && decision.reason === 'rate-limited' && { source }),
        decision: describeDecision(decision),
        ...(decision.action === 'route' && { employee: decision.employee.code, destination: decision.destination }),
        ms: Math.round(ms),
      },
      'routing answered',
    );
    return sendAnswer(reply, decision, settings.routing);
  };

  // Encapsulated, so adding the form parser here does not change the parsers of the rest of the app.
  void app.register(async (scope) => {
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) await scope.register(formbody);
    // The secret is checked before the body is read, as on the webhook: a stranger's body costs no parsing. No
    // automatic HEAD route: it would run the GET handler, a Zoho lookup whose answer HEAD throws away.
    scope.route({
      method: ['GET', 'POST', 'PUT'],
      url: ROUTING_PATH,
      exposeHeadRoute: false,
      onRequest: requireSecret(deps.webhookSecret, deps.wrongSecrets, warnRejected, 'routing'),
      handler,
    });
  });
}
