/**
 * The activation page's "Create the missing fields" (A4), the browser's `doctor --fix`: GET lists the fields that
 * would be created with a confirmation button, POST creates them and shows what Zoho answered. Registered inside
 * the activation pages' scope, so the admin session and the error pages apply.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SettingsSource } from '../config/settings-source';
import type { ZohoClient } from '../zoho';
import type { ActivationStore } from './credential-store';
import { gatherDoctorFacts } from './doctor';
import { createMissingFields, describeFieldCreations, describeFieldsToCreate, fieldsToCreate } from './field-fixes';
import { csrfField, escapeHtml, page } from './html';

export interface FieldRoutesOptions {
  store: ActivationStore;
  zoho: ZohoClient;
  fileSettings: SettingsSource;
  /** The signed-in session's CSRF token, which the confirmation form carries (see routes.ts). */
  csrfOf(request: FastifyRequest): string;
}

const lines = (text: string): string =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => escapeHtml(line.trim()))
    .join('<br>');

const BACK = '<p><a href="/activation">Back to activation</a></p>';

const sendPage = (reply: FastifyReply, body: string) =>
  reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page('Missing fields', `${body}${BACK}`));

export function registerFieldRoutes(scope: FastifyInstance, options: FieldRoutesOptions): void {
  const facts = () => gatherDoctorFacts(options.zoho, options.store, options.fileSettings());

  scope.get('/activation/fields', async (request, reply) => {
    const found = await facts();
    const fields = fieldsToCreate(found);
    const confirm = fields.length ? `<form method="post" action="/activation/fields">${csrfField(options.csrfOf(request))}<button type="submit">Create these fields</button></form>` : '';
    return sendPage(reply, `<p>${lines(describeFieldsToCreate(found, fields))}</p>${confirm}`);
  });

  scope.post('/activation/fields', async (_request, reply) => {
    const created = await createMissingFields(options.zoho, fieldsToCreate(await facts()), options.store.connection()?.scopes);
    const body = created.length ? lines(describeFieldCreations(created)) : 'Nothing to create: every field callmatrix writes exists.';
    return sendPage(reply, `<p>${body}</p>`);
  });
}
