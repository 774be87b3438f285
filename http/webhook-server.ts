/**
 * The webhook shim: validates telephony webhooks and hands each event to its call workflow. It does nothing
 * else, so it can answer fast; a request is acknowledged (2xx) only once Temporal has durably accepted the event.
 */
import crypto from 'node:crypto';
import formbody from '@fastify/formbody';
import type { Client } from '@temporalio/client';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { CALL_MOMENTS, type CallMoment } from '../common/call-event';
import type { IntegrationHealth } from '../activation/credential-store';
import type { Settings } from '../matrix/settings-schema';
import { deliverCallEvent } from '../temporal/deliver-call-event';
import { flattenParameters } from '../telephony/flatten-parameters';
import type { TelephonyAdapter } from '../telephony/provider';
import { keepUsedParameters, oversizeReason } from '../telephony/used-parameters';
import { ringostatAdapter } from '../telephony/ringostat';

export interface WebhookServerOptions {
  temporal: Client;
  taskQueue: string;
  webhookSecret: string;
  /** Read on every request, so a changed settings file applies without a restart. */
  settings: () => Settings;
  logger: Logger;
  /** The Zoho integration's state (connected, broken, not connected), shown by /healthz (R1). */
  integration: () => IntegrationHealth;
  adapters?: TelephonyAdapter[];
}

/** Compares secrets in constant time; hashing first makes the lengths equal. */
export function secretMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

export function buildWebhookServer(options: WebhookServerOptions): FastifyInstance {
  const adapters = new Map((options.adapters ?? [ringostatAdapter]).map((a) => [a.provider, a]));
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger.child({ component: 'webhook' }) as FastifyBaseLogger,
    // Each accepted or rejected event is logged once, with its call id, by the handler.
    logController: new LogController({ disableRequestLogging: true }),
  });
  void app.register(formbody);

  // The shim itself is healthy whenever it answers; a broken Zoho authorisation is reported, not failed, so
  // orchestrators do not restart a shim that is rightly accepting and parking calls.
  app.get('/healthz', async () => ({ ok: true, integration: options.integration() }));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { provider } = request.params as { provider: string };
    const query = (request.query ?? {}) as Record<string, unknown>;
    const adapter = adapters.get(provider);
    if (!adapter) return reply.code(404).send({ ok: false, errors: [`unknown telephony provider "${provider}"`] });
    if (!secretMatches(query.secret, options.webhookSecret)) {
      return reply.code(401).send({ ok: false, errors: ['secret: missing or wrong (pass ?secret=… in the webhook URL)'] });
    }
    const moment = query.event;
    if (typeof moment !== 'string' || !CALL_MOMENTS.includes(moment as CallMoment)) {
      return reply
        .code(400)
        .send({ ok: false, errors: [`event: expected one of ${CALL_MOMENTS.join(', ')} in the URL (?event=end)`] });
    }
    const settings = options.settings();
    const { telephony } = settings;
    const parameters = keepUsedParameters(flattenParameters(query, request.body, telephony.parameterNames), adapter.parameters, settings);
    const result = adapter.toCallEvent({ moment: moment as CallMoment, parameters, receivedAt: new Date(), timeZone: telephony.timeZone });
    if (!result.ok) {
      request.log.warn({ provider, errors: result.errors }, 'webhook rejected');
      return reply.code(400).send({ ok: false, errors: result.errors });
    }
    const oversize = oversizeReason(result.event);
    if (oversize) {
      request.log.warn({ provider, callId: result.event.callId, errors: [oversize] }, 'webhook rejected');
      return reply.code(413).send({ ok: false, errors: [oversize] });
    }
    try {
      const delivery = await deliverCallEvent(options.temporal, options.taskQueue, result.event);
      request.log.info({ workflowId: delivery.workflowId, moment, outcome: delivery.outcome }, 'call event accepted');
      return reply.code(200).send({ ok: true, ...delivery });
    } catch (error) {
      // Not acknowledged: the telephony re-sends, and nothing is lost.
      request.log.error({ err: error, provider, moment }, 'could not hand the call event to Temporal');
      return reply.code(503).send({ ok: false, errors: ['temporarily unable to accept the event; retry'] });
    }
  };
  app.route({ method: ['GET', 'POST', 'PUT'], url: '/webhooks/:provider', handler });
  return app;
}
