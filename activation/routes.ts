/**
 * The activation pages of the webhook shim (A1, A2). They are behind a separate admin token, not the webhook
 * secret: that one sits in the telephony's webhook settings, where more people see it than should connect or
 * re-point the CRM. Signing in sets an HttpOnly, SameSite=Lax cookie derived from the token, so the token itself
 * never appears in a URL (and so in no access log); Lax keeps the cookie off cross-site form posts. Zoho's
 * redirect back to the callback is authenticated by its single-use `state` instead.
 */
import crypto from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SettingsSource } from '../config/settings-source';
import { ACCOUNTS_SERVERS, ZohoError, type DataCentre, type ZohoClient } from '../zoho';
import { ActivationError } from './activate';
import { beginAuthorization, finishAuthorization, STATE_TTL_MS, type CallbackQuery } from './browser-flow';
import { chooseSeniorManager, mapEmployee } from './choices';
import { integrationHealth, type ActivationStore } from './credential-store';
import { effectiveSettings } from './effective-settings';
import { registerFieldRoutes } from './field-routes';
import { activationPage, loginPage, messagePage, usersPage } from './html';
import { missingScopes } from './scopes';

export interface ActivationRoutesOptions {
  store: ActivationStore;
  /** A client on the store, to list the org's users. */
  zoho: ZohoClient;
  /** The settings file's settings (the employees to map), before the activation's choices. */
  fileSettings: SettingsSource;
  /** CALLMATRIX_ADMIN_TOKEN. */
  adminToken: string;
  /** The shim's public URL; Zoho redirects the admin to `${publicUrl}/activation/callback`. */
  publicUrl: string;
  /** ZOHO_ACCOUNTS_URL, when set. */
  accountsUrlOverride?: string;
  /** ZOHO_DC: the data centre preselected on the page. */
  defaultDc: DataCentre;
  /** Starts the re-activation workflow (see `reactivationStarter`). */
  reactivate(resend: boolean): Promise<unknown>;
}

const COOKIE = 'callmatrix_activation';

const sendPage = (reply: FastifyReply, status: number, html: string) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);

function constantTimeEqual(given: string, expected: string): boolean {
  const digest = (s: string) => crypto.createHash('sha256').update(s).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

function cookieValue(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export function registerActivationRoutes(app: FastifyInstance, options: ActivationRoutesOptions): void {
  const { store, adminToken } = options;
  const session = crypto.createHmac('sha256', adminToken).update('callmatrix activation session').digest('base64url');
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const redirectUri = `${publicUrl}/activation/callback`;
  const secureCookie = publicUrl.startsWith('https:') ? '; Secure' : '';

  const signedIn = (request: FastifyRequest): boolean => {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return constantTimeEqual(bearer, adminToken);
    const cookie = cookieValue(request, COOKIE);
    return cookie !== undefined && constantTimeEqual(cookie, session);
  };

  const statusPage = (reply: FastifyReply, status = 200, errors: string[] = []) => {
    const connection = store.connection();
    return sendPage(
      reply,
      status,
      activationPage({
        health: integrationHealth(store),
        connection,
        missingScopes: connection?.scopes ? missingScopes(connection.scopes) : [],
        defaultDc: options.defaultDc,
        redirectUri,
        errors,
      }),
    );
  };

  const showUsers = async (reply: FastifyReply, notice?: string) => {
    const fileSettings = options.fileSettings();
    const users = await options.zoho.listUsers('AllUsers');
    return sendPage(reply, 200, usersPage({ users, fileSettings, settings: effectiveSettings(fileSettings, store), notice }));
  };

  // A scope of its own, so the form parser is added only when the shim has none yet.
  void app.register(async (scope) => {
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) await scope.register(formbody);

    scope.setErrorHandler((error, request, reply) => {
      if (error instanceof ActivationError) return sendPage(reply, 400, messagePage('Activation failed', error.message));
      if (error instanceof ZohoError) return sendPage(reply, 502, messagePage('Zoho CRM did not answer as expected', error.message));
      request.log.error({ err: error }, 'activation page failed');
      return sendPage(reply, 500, messagePage('Activation failed', 'unexpected error; see the shim log'));
    });

    scope.addHook('onRequest', async (request, reply) => {
      const open = ['/activation/login', '/activation/callback'].includes(request.url.split('?')[0]);
      if (!open && !signedIn(request)) return sendPage(reply, 401, loginPage());
    });

    scope.post('/activation/login', async (request, reply) => {
      const { token } = (request.body ?? {}) as { token?: string };
      if (typeof token !== 'string' || !constantTimeEqual(token, adminToken)) return sendPage(reply, 401, loginPage('wrong admin token'));
      return reply
        .header('set-cookie', `${COOKIE}=${session}; Path=/activation; HttpOnly; SameSite=Lax${secureCookie}`)
        .redirect('/activation', 303);
    });

    scope.get('/activation', async (_request, reply) => statusPage(reply));

    scope.post('/activation/start', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string | undefined>;
      const stored = store.connection();
      const clientId = body.clientId?.trim() ?? '';
      const clientSecret = body.clientSecret?.trim() || (stored?.clientId === clientId ? stored.clientSecret : '');
      const errors = [
        ...(body.dc && Object.hasOwn(ACCOUNTS_SERVERS, body.dc) ? [] : [`data centre: choose one of ${Object.keys(ACCOUNTS_SERVERS).join(', ')}`]),
        ...(clientId ? [] : ['client id: required (Zoho API console)']),
        ...(clientSecret ? [] : ['client secret: required (Zoho API console)']),
      ];
      if (errors.length) return statusPage(reply, 400, errors);
      const url = await beginAuthorization(store, {
        dc: body.dc as DataCentre,
        clientId,
        clientSecret,
        resend: body.resend === 'on',
        redirectUri,
        accountsUrlOverride: options.accountsUrlOverride,
      });
      request.log.info({ dc: body.dc, stateTtlMinutes: STATE_TTL_MS / 60_000 }, 'activation: admin sent to Zoho to authorise');
      return reply.redirect(url, 303);
    });

    scope.get('/activation/callback', async (request, reply) => {
      const activated = await finishAuthorization(store, request.query as CallbackQuery, options.accountsUrlOverride);
      request.log.info({ dc: activated.connection.dc, resend: activated.resend, missingScopes: activated.missingScopes }, 'activation: Zoho CRM connected in the browser');
      try {
        await options.reactivate(activated.resend);
      } catch (error) {
        request.log.error({ err: error }, 'activation: Zoho connected, but the re-activation workflow did not start');
        return sendPage(reply, 502, messagePage('Suspended calls not resumed', `Zoho CRM is connected, but resuming the suspended calls failed (${(error as Error).message}); activate again to retry.`));
      }
      return reply.redirect('/activation/users?activated=1', 303);
    });

    scope.get('/activation/users', async (request, reply) => {
      const activated = (request.query as { activated?: string }).activated !== undefined;
      return showUsers(reply, activated ? 'Zoho CRM is connected. Choose the senior manager and map the employees.' : undefined);
    });

    scope.post('/activation/senior', async (request, reply) => {
      const { userId } = (request.body ?? {}) as { userId?: string };
      if (!userId) throw new ActivationError('senior manager: choose a user');
      const user = await chooseSeniorManager(store, await options.zoho.listUsers('AllUsers'), userId);
      return showUsers(reply, `Senior manager: ${user.full_name}.`);
    });

    scope.post('/activation/employees', async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string | undefined>;
      const [users, fileSettings] = [await options.zoho.listUsers('AllUsers'), options.fileSettings()];
      for (const employee of fileSettings.employees) {
        const field = `employee.${employee.code}`;
        if (field in body) await mapEmployee(store, users, fileSettings, employee.code, body[field] || undefined);
      }
      return showUsers(reply, 'Employee mappings saved; new calls use them.');
    });

    registerFieldRoutes(scope, options);
  });
}
