/**
 * The webhook shim: validates telephony webhooks and hands each event to its call workflow. It does nothing
 * else, so it can answer fast; a request is acknowledged (2xx) only once Temporal has durably accepted the event.
 */
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { hasLoneSurrogate, LONE_SURROGATE_ERROR, parseJsonBody, WEBHOOK_JSON_LIMITS } from '../common/bounded-json';
import { CALL_MOMENTS, type CallMoment } from '../common/call-event';
import type { IntegrationHealth } from '../activation/credential-store';
import type { Settings } from '../matrix/settings-schema';
import type { Metrics } from '../observability/metrics';
import { droppedFieldsReporter } from '../observability/dropped-fields';
import { throttledLog } from '../observability/throttled-log';
import { DeadlineRequests } from '../temporal/deadline';
import type { CallerKeyOfEvent } from '../temporal/caller-key';
import { deliverCallEvent } from '../temporal/deliver-call-event';
import { registerHealthRoutes } from './health';
import { requireSecret, type WrongSecrets } from './secret';
import { flattenParameters } from '../telephony/flatten-parameters';
import type { TelephonyAdapter } from '../telephony/provider';
import { keepUsedParameters, oversizeReason } from '../telephony/used-parameters';
import { ringostatAdapter } from '../telephony/ringostat';

export interface WebhookServerOptions {
  temporal: Client;
  taskQueue: string;
  webhookSecret: string;
  /** The process's budget of wrong secrets per source, shared with the routing and codec endpoints. */
  wrongSecrets: WrongSecrets;
  /** Read on every request, so a changed settings file applies without a restart. */
  settings: () => Settings;
  logger: Logger;
  /** The Zoho integration's state (connected, broken, not connected), shown by /healthz (R1). */
  integration: () => IntegrationHealth;
  adapters?: TelephonyAdapter[];
  /**
   * CALLMATRIX_TEMPORAL_DEADLINE_MS: how long a webhook waits for Temporal to accept its event before it is answered
   * 503, so a frozen or unreachable Temporal gets the telephony's retry rather than a hang. Default 5 s.
   */
  temporalDeadlineMs?: number;
  /** Counts and times every webhook answer by status code, and counts the optional fields left out unreadable. */
  metrics?: Pick<Metrics, 'webhook'>;
  /** The CallerKey search attribute of each call the shim starts. */
  callerKeyOf?: CallerKeyOfEvent;
}

export const DEFAULT_TEMPORAL_DEADLINE_MS = 5_000;

/** Fastify's own refusals of a request, said the way the shim names problems: field first. */
const FASTIFY_PROBLEMS: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body: too large (at most 1 MiB)',
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'content-type: expected application/json or application/x-www-form-urlencoded (or a GET with the parameters in the query)',
};
const WEBHOOK_PATH = '/webhooks/:provider';

/** An answer to bad input (L4): a 4xx with the problem named, in the shim's `{ ok: false, errors }` shape. */
class BadRequest extends Error {
  readonly statusCode = 400;
}

/** What a query value holds as it is written (RFC 3986's unreserved characters). */
const URL_SAFE = /^[A-Za-z0-9._~-]+$/;

export function buildWebhookServer(options: WebhookServerOptions): FastifyInstance {
  const adapters = new Map((options.adapters ?? [ringostatAdapter]).map((a) => [a.provider, a]));
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger.child({ component: 'webhook' }) as FastifyBaseLogger,
    // Each accepted or rejected event is logged once, with its call id, by the handler.
    logController: new LogController({ disableRequestLogging: true }),
  });
  void app.register(formbody);
  // Rejections and unreadable fields are logged (an admin sees a misconfigured telephony), but a stranger's requests
  // cannot flood the log.
  const warnRejected = throttledLog(app.log as Logger);
  // During an outage every webhook fails alike: one line a minute, with the reason, rather than a stack per request.
  const reportUnavailable = throttledLog(app.log as Logger, 60_000, 'error');
  const reportDropped = droppedFieldsReporter({ warn: warnRejected, metrics: options.metrics, source: 'webhook', accepted: 'webhook accepted' });
  // In the query a `+` reads as a space, and `%`, `&` or `#` break the value: such a secret, pasted as it is into
  // Ringostat's URLs, never matches. Said once at start, without the secret.
  if (!URL_SAFE.test(options.webhookSecret)) {
    app.log.warn(
      'CALLMATRIX_WEBHOOK_SECRET has characters that are not URL-safe (such as + / =): write it percent-encoded in the URLs given to Ringostat, or use a URL-safe one (openssl rand -hex 24)',
    );
  }

  const temporalDeadlineMs = options.temporalDeadlineMs ?? DEFAULT_TEMPORAL_DEADLINE_MS;
  const deliveries = new DeadlineRequests(options.temporal, temporalDeadlineMs);
  app.addHook('onClose', () => deliveries.drain());
  // Ready when Temporal would accept an event within the same deadline a webhook waits.
  registerHealthRoutes(app, { temporal: options.temporal, deadlineMs: temporalDeadlineMs, integration: options.integration });

  /** Runs before the body is read: an unknown provider or a wrong secret costs no parsing (#14). */
  const knownProvider = async (request: FastifyRequest, reply: FastifyReply) => {
    const { provider } = request.params as { provider: string };
    if (!adapters.has(provider)) return reply.code(404).send({ ok: false, errors: [`unknown telephony provider "${provider}"`] });
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { provider } = request.params as { provider: string };
    const query = (request.query ?? {}) as Record<string, unknown>;
    const adapter = adapters.get(provider)!;
    const moment = query.event;
    if (typeof moment !== 'string' || !CALL_MOMENTS.includes(moment as CallMoment)) {
      warnRejected('event', { provider }, 'webhook rejected: no valid ?event= in the URL (400)');
      return reply
        .code(400)
        .send({ ok: false, errors: [`event: expected one of ${CALL_MOMENTS.join(', ')} in the URL (?event=end)`] });
    }
    const settings = options.settings();
    const { telephony } = settings;
    const received = flattenParameters(query, request.body, telephony.parameterNames);
    const entries = Object.entries(received);
    // A form body or query has no nesting, but as many keys as fit in the body limit: the JSON limit holds there too.
    if (entries.length > WEBHOOK_JSON_LIMITS.maxValues) {
      return reply.code(400).send({ ok: false, errors: [`request: more than ${WEBHOOK_JSON_LIMITS.maxValues} parameters`] });
    }
    const malformed = entries.find(([name, value]) => hasLoneSurrogate(name) || hasLoneSurrogate(value));
    if (malformed) return reply.code(400).send({ ok: false, errors: [`${malformed[0]}: ${LONE_SURROGATE_ERROR}`] });
    const parameters = keepUsedParameters(received, adapter.parameters, settings);
    const result = adapter.toCallEvent({ moment: moment as CallMoment, parameters, receivedAt: new Date(), timeZone: telephony.timeZone });
    if (!result.ok) {
      warnRejected('parameters', { provider, errors: result.errors }, 'webhook rejected: bad parameters (400)');
      return reply.code(400).send({ ok: false, errors: result.errors });
    }
    reportDropped(result.event, result.dropped);
    const oversize = oversizeReason(result.event);
    if (oversize) {
      request.log.warn({ provider, callId: result.event.callId, errors: [oversize] }, 'webhook rejected');
      return reply.code(413).send({ ok: false, errors: [oversize] });
    }
    try {
      const delivery = await deliveries.run(() => deliverCallEvent(options.temporal, options.taskQueue, result.event, { callerKeyOf: options.callerKeyOf }));
      request.log.info({ workflowId: delivery.workflowId, moment, outcome: delivery.outcome }, 'call event accepted');
      return reply.code(200).send({ ok: true, ...delivery });
    } catch (error) {
      // Not acknowledged: the telephony re-sends, and nothing is lost. The checks above leave Temporal nothing to
      // refuse (the call id fits a workflow id, the body fits a payload), so this is Temporal being unavailable.
      const reason = error instanceof Error ? error.message : String(error);
      reportUnavailable('temporal', { provider, moment, reason, deadlineMs: temporalDeadlineMs }, 'could not hand the call event to Temporal');
      return reply.code(503).send({ ok: false, errors: ['temporarily unable to accept the event; retry'] });
    }
  };

  // The webhook's own scope: its JSON parser and error answers do not change the other routes'.
  void app.register(async (scope) => {
    // Fastify reads text/plain by default, as a string the shim finds no parameters in: the sender would be told
    // `uniqueid` is missing rather than that its content type is not one the shim reads (415).
    scope.removeContentTypeParser('text/plain');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
      // Parameters may all be in the query: an empty body is no body.
      if ((body as Buffer).length === 0) return done(null, undefined);
      const parsed = parseJsonBody(body as Buffer);
      if (parsed.ok) done(null, parsed.value);
      else done(new BadRequest(`body: ${parsed.error}`), undefined);
    });
    scope.setErrorHandler((error: FastifyError, request, reply) => {
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        const problem = FASTIFY_PROBLEMS[error.code] ?? error.message;
        warnRejected('body', { errors: [problem] }, `webhook rejected: ${problem}`);
        return reply.code(status).send({ ok: false, errors: [problem] });
      }
      request.log.error({ err: error }, 'webhook failed');
      return reply.code(500).send({ ok: false, errors: ['internal error; retry'] });
    });
    scope.route({
      method: ['GET', 'POST', 'PUT'],
      url: WEBHOOK_PATH,
      // Fastify's automatic HEAD route would run the GET handler, and a HEAD would deliver a call event.
      exposeHeadRoute: false,
      onRequest: [knownProvider, requireSecret(options.webhookSecret, options.wrongSecrets, warnRejected, 'webhook')],
      handler,
      onResponse(_request, reply, done) {
        options.metrics?.webhook.answered(reply.statusCode, reply.elapsedTime / 1000);
        done();
      },
    });
  });
  return app;
}

