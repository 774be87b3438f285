/**
 * The activation pages of the webhook shim (A1, A2). They are behind a separate admin token, not the webhook
 * secret: that one sits in the telephony's webhook settings, where more people see it than should connect or
 * re-point the CRM. Signing in starts a session that expires (SESSION_TTL_MS) or ends at sign-out, held in an
 * HttpOnly, SameSite=Lax cookie (Secure over TLS), so the token itself never appears in a URL or log. SameSite
 * does not stop sibling subdomains or other ports of the same host, so every form also carries a CSRF token bound
 * to the session, and posts from another origin (Origin, Sec-Fetch-Site) are refused. The pages cannot be framed.
 * Failed sign-ins, by the form or a wrong bearer token, are logged and limited per source. Zoho's redirect back to
 * the callback is authenticated by its single-use `state` instead, which only the browser session that started
 * the authorisation can use (the SameSite=Lax cookie comes along with Zoho's top-level redirect).
 */
import crypto from 'node:crypto';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SettingsSource } from '../config/settings-source';
import { ACCOUNTS_SERVERS, ZohoError, type DataCentre, type ZohoClient, type ZohoUser } from '../zoho';
import { clientAddress, reachedOverHttps } from '../http/forwarded';
import { RateLimit } from '../http/rate-limit';
import { secretMatches } from '../http/secret';
import { ActivationError } from './activate';
import { beginAuthorization, finishAuthorization, STATE_TTL_MS, type CallbackQuery } from './browser-flow';
import { accountTimeZone } from './account-time-zone';
import { chooseSeniorManager, mapEmployees } from './choices';
import { integrationHealth, type ActivationStore } from './credential-store';
import { effectiveSettings } from './effective-settings';
import { registerFieldRoutes } from './field-routes';
import { activationPage, employeeInput, loginPage, messagePage, usersPage, type ActivationFormEntry, type FieldErrors } from './html';
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
  /** CALLMATRIX_TRUST_PROXY: believe X-Forwarded-Proto and X-Forwarded-For from the reverse proxy. */
  trustProxy?: boolean;
}

const COOKIE = 'callmatrix_activation';
/** A session ends this long after sign-in, whatever the admin does. */
export const SESSION_TTL_MS = 2 * 60 * 60_000;
/** Failed sign-ins allowed per source address and window, before the form answers 429 until the window ends. */
export const SIGN_IN_FAILURES = { limit: 5, windowMs: 15 * 60_000 };

/**
 * Sent with every activation page: no framing (clickjacking), no scripts, and the referrer (which may carry the
 * callback's code) only to this origin. Not `no-referrer`: under it a browser posts our own forms with
 * `Origin: null`, which the cross-origin check must refuse.
 */
const SECURITY_HEADERS = {
  'content-security-policy': "frame-ancestors 'none'; default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
};

const sendPage = (reply: FastifyReply, status: number, html: string) => reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);

/** A form's value, only when it is a single string (a repeated input arrives as an array). */
function formValue(body: unknown, name: string): string | undefined {
  const value = body && typeof body === 'object' && Object.hasOwn(body, name) ? (body as Record<string, unknown>)[name] : undefined;
  return typeof value === 'string' ? value : undefined;
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
  const trustProxy = options.trustProxy ?? false;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const publicOrigin = new URL(publicUrl).origin;
  const redirectUri = `${publicUrl}/activation/callback`;
  const signInFailures = new RateLimit(SIGN_IN_FAILURES.limit, SIGN_IN_FAILURES.windowMs);
  // The CSRF token of a session: derived, so every replica computes the same one and nothing more is stored.
  const csrfToken = (sessionId: string) => crypto.createHmac('sha256', adminToken).update(`callmatrix activation csrf ${sessionId}`).digest('base64url');
  /**
   * What the store keeps a session by: its id keyed by the admin token, so a new CALLMATRIX_ADMIN_TOKEN (the answer
   * to a leaked one) ends every session signed in with the old, on every replica, at once.
   */
  const storedSession = (sessionId: string) => crypto.createHmac('sha256', adminToken).update(`callmatrix activation session ${sessionId}`).digest('base64url');
  const cookie = (request: FastifyRequest, value: string, maxAgeSeconds: number) =>
    `${COOKIE}=${value}; Path=/activation; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax` +
    (publicUrl.startsWith('https:') || reachedOverHttps(request, trustProxy) ? '; Secure' : '');

  const bearerOf = (request: FastifyRequest) => /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  /** How the request is signed in: the admin token as a bearer (scripts), or a live session's cookie (browser). */
  const signIn = (request: FastifyRequest): { via: 'bearer' } | { via: 'session'; sessionId: string } | undefined => {
    const bearer = bearerOf(request);
    if (bearer !== undefined) return secretMatches(bearer, adminToken) ? { via: 'bearer' } : undefined;
    const sessionId = cookieValue(request, COOKIE);
    return sessionId && store.hasSession(storedSession(sessionId)) ? { via: 'session', sessionId } : undefined;
  };
  /** The session of a browser signed in by its cookie; undefined for a script's bearer. */
  const sessionOf = (request: FastifyRequest) => {
    const signedIn = signIn(request);
    return signedIn?.via === 'session' ? signedIn.sessionId : undefined;
  };
  const csrfOf = (request: FastifyRequest) => {
    const sessionId = sessionOf(request);
    return sessionId ? csrfToken(sessionId) : '';
  };

  /** A wrong admin token, from the sign-in form or as a bearer: logged and counted against its source. */
  const failedSignIn = (request: FastifyRequest, source: string, via: 'form' | 'bearer') => {
    signInFailures.count(source);
    request.log.warn({ source, via }, 'activation: sign-in failed (wrong admin token)');
  };
  const tooManyFailures = (request: FastifyRequest, reply: FastifyReply, source: string) => {
    request.log.warn({ source }, 'activation: sign-in refused, too many failures from this address');
    return sendPage(reply.header('retry-after', String(SIGN_IN_FAILURES.windowMs / 1000)), 429, loginPage('too many failed sign-ins; try again in 15 minutes'));
  };

  /** A post a browser sent from another origin; browsers that send neither header are held by the CSRF token. */
  const crossOrigin = (request: FastifyRequest): boolean => {
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
    const origin = request.headers.origin;
    return origin !== undefined && origin !== publicOrigin;
  };

  /** The status page with the activation form; a refused form comes back with what was entered and why. */
  const statusPage = async (request: FastifyRequest, reply: FastifyReply, refused?: { entered: ActivationFormEntry; errors: FieldErrors }) => {
    const timeZone = await accountTimeZone(store, options.zoho, request.log);
    const connection = store.connection();
    return sendPage(
      reply,
      refused ? 400 : 200,
      activationPage({
        health: integrationHealth(store),
        connection,
        missingScopes: connection?.scopes ? missingScopes(connection.scopes) : [],
        defaultDc: options.defaultDc,
        redirectUri,
        timeZone,
        ...refused,
        csrf: csrfOf(request),
      }),
    );
  };

  /** The users page; a refused form comes back (400) with the values submitted and each refusal beside its input. */
  const showUsers = async (request: FastifyRequest, reply: FastifyReply, shown: { notice?: string; entered?: ReadonlyMap<string, string>; errors?: FieldErrors } = {}) => {
    const fileSettings = options.fileSettings();
    const users = await options.zoho.listUsers('AllUsers');
    const status = shown.errors?.size ? 400 : 200;
    return sendPage(reply, status, usersPage({ users, fileSettings, settings: effectiveSettings(fileSettings, store), ...shown, csrf: csrfOf(request) }));
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
      reply.headers(SECURITY_HEADERS);
      if (request.method === 'POST' && crossOrigin(request)) {
        request.log.warn({ source: clientAddress(request, trustProxy), origin: request.headers.origin }, 'activation: cross-origin post refused');
        return sendPage(reply, 403, messagePage('Refused', 'This form was posted from another site.'));
      }
      // A bearer is a sign-in too: its wrong tokens count against the source like the form's.
      const bearer = bearerOf(request);
      if (bearer !== undefined) {
        const source = clientAddress(request, trustProxy);
        if (signInFailures.exceeded(source)) return tooManyFailures(request, reply, source);
        if (!secretMatches(bearer, adminToken)) {
          failedSignIn(request, source, 'bearer');
          return sendPage(reply, 401, loginPage());
        }
      }
      const open = ['/activation/login', '/activation/callback'].includes(request.url.split('?')[0]);
      if (!open && !signIn(request)) return sendPage(reply, 401, loginPage());
    });

    // Every form of a signed-in browser carries the session's CSRF token; a bearer is not sent by browsers by itself.
    scope.addHook('preHandler', async (request, reply) => {
      const signedIn = request.method === 'POST' ? signIn(request) : undefined;
      if (signedIn?.via !== 'session') return;
      if (!secretMatches((request.body as { _csrf?: unknown } | undefined)?._csrf, csrfToken(signedIn.sessionId))) {
        request.log.warn({ source: clientAddress(request, trustProxy) }, 'activation: post without a valid CSRF token refused');
        return sendPage(reply, 403, messagePage('Refused', 'This form is stale or was not sent from the activation page; open the page again.'));
      }
    });

    scope.post('/activation/login', async (request, reply) => {
      const source = clientAddress(request, trustProxy);
      if (signInFailures.exceeded(source)) return tooManyFailures(request, reply, source);
      const { token } = (request.body ?? {}) as { token?: string };
      if (!secretMatches(token, adminToken)) {
        failedSignIn(request, source, 'form');
        return sendPage(reply, 401, loginPage('wrong admin token'));
      }
      const sessionId = crypto.randomBytes(32).toString('base64url');
      await store.addSession(storedSession(sessionId), Date.now() + SESSION_TTL_MS);
      request.log.info({ source }, 'activation: admin signed in');
      return reply.header('set-cookie', cookie(request, sessionId, SESSION_TTL_MS / 1000)).redirect('/activation', 303);
    });

    scope.post('/activation/logout', async (request, reply) => {
      const sessionId = cookieValue(request, COOKIE);
      if (sessionId) await store.endSession(storedSession(sessionId));
      return reply.header('set-cookie', cookie(request, '', 0)).redirect('/activation', 303);
    });

    scope.get('/activation', async (request, reply) => statusPage(request, reply));

    scope.post('/activation/start', async (request, reply) => {
      const dc = formValue(request.body, 'dc');
      const resend = formValue(request.body, 'resend') === 'on';
      const stored = store.connection();
      const clientId = formValue(request.body, 'clientId')?.trim() ?? '';
      const clientSecret = formValue(request.body, 'clientSecret')?.trim() || (stored?.clientId === clientId ? stored.clientSecret : '');
      const errors = new Map<string, string>([
        ...(dc && Object.hasOwn(ACCOUNTS_SERVERS, dc) ? [] : [['dc', `data centre: choose one of ${Object.keys(ACCOUNTS_SERVERS).join(', ')}`] as const]),
        ...(clientId ? [] : [['clientId', 'client id: required (Zoho API console)'] as const]),
        ...(clientSecret ? [] : [['clientSecret', 'client secret: required (Zoho API console)'] as const]),
      ]);
      if (errors.size) return statusPage(request, reply, { entered: { dc, clientId, resend }, errors });
      const url = await beginAuthorization(store, {
        dc: dc as DataCentre,
        clientId,
        clientSecret,
        resend,
        redirectUri,
        accountsUrlOverride: options.accountsUrlOverride,
        sessionId: sessionOf(request),
      });
      request.log.info({ dc, stateTtlMinutes: STATE_TTL_MS / 60_000 }, 'activation: admin sent to Zoho to authorise');
      return reply.redirect(url, 303);
    });

    scope.get('/activation/callback', async (request, reply) => {
      const activated = await finishAuthorization(store, request.query as CallbackQuery, options.accountsUrlOverride, cookieValue(request, COOKIE));
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
      return showUsers(request, reply, { notice: activated ? 'Zoho CRM is connected. Choose the senior manager and map the employees.' : undefined });
    });

    scope.post('/activation/senior', async (request, reply) => {
      const userId = formValue(request.body, 'userId') ?? '';
      let chosen: ZohoUser;
      try {
        chosen = await chooseSeniorManager(store, await options.zoho.listUsers('AllUsers'), userId);
      } catch (error) {
        if (!(error instanceof ActivationError)) throw error;
        return showUsers(request, reply, { entered: new Map([['userId', userId]]), errors: new Map([['userId', error.message]]) });
      }
      return showUsers(request, reply, { notice: `Senior manager: ${chosen.full_name}.` });
    });

    scope.post('/activation/employees', async (request, reply) => {
      const [users, fileSettings] = [await options.zoho.listUsers('AllUsers'), options.fileSettings()];
      // The employees the form had a choice for: those of the settings file when the page was shown.
      const choices = new Map<string, string | undefined>();
      for (const { code } of fileSettings.employees) {
        const value = formValue(request.body, employeeInput(code));
        if (value !== undefined) choices.set(code, value || undefined);
      }
      const problems = await mapEmployees(store, users, fileSettings, choices);
      if (problems.size === 0) return showUsers(request, reply, { notice: 'Employee mappings saved; new calls use them.' });
      return showUsers(request, reply, {
        entered: new Map([...choices].map(([code, userId]) => [employeeInput(code), userId ?? ''])),
        errors: new Map([...problems].map(([code, problem]) => [employeeInput(code), problem])),
      });
    });

    registerFieldRoutes(scope, { ...options, csrfOf });
  });
}
