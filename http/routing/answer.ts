/**
 * How a decision is written back to the telephony: the destination under the configured JSON key or as a plain
 * body, and "continue" as an empty destination or a 204, whichever the telephony is set up to read. Ringostat
 * ignores the `x-callmatrix-routing` header; it says why, for whoever debugs the call with curl or in the logs.
 */
import type { FastifyReply } from 'fastify';
import type { RoutingSettings } from '../../matrix/settings-schema';
import type { RoutingDecision } from './responsible-manager';

export const DECISION_HEADER = 'x-callmatrix-routing';

/** `Leads`, `Deals` or `Contacts` when routed; `continue:<reason>` otherwise. */
export function describeDecision(decision: RoutingDecision): string {
  return decision.action === 'route' ? decision.module : `continue:${decision.reason}`;
}

export function sendAnswer(reply: FastifyReply, decision: RoutingDecision, routing: RoutingSettings): FastifyReply {
  void reply.header(DECISION_HEADER, describeDecision(decision));
  if (decision.action === 'continue' && routing.continueAnswer === 'no-content') return reply.code(204).send();
  const destination = decision.action === 'route' ? decision.destination : '';
  if (routing.responseFormat === 'text') return reply.code(200).type('text/plain; charset=utf-8').send(destination);
  return reply.code(200).send({ [routing.responseKey]: destination });
}
