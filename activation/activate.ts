/**
 * A1: turning an authorisation code into a stored connection. The browser flow (a code from Zoho's consent
 * redirect) and the CLI (a self-client grant code from the API console) both end here.
 */
import { ACCOUNTS_SERVERS, exchangeAuthorizationCode, ZohoError, ZohoTransientError, type DataCentre } from '../zoho';
import { credentialUrlProblem } from '../common/credential-url';
import type { ActivationStore, StoredConnection } from './credential-store';
import { missingScopes, parseScopes } from './scopes';

const EXCHANGE_TIMEOUT_MS = 30_000;

/** A failed activation, worded for the admin: what went wrong and what to do. */
export class ActivationError extends Error {
  override name = 'ActivationError';
}

export interface CodeActivation {
  dc: DataCentre;
  clientId: string;
  clientSecret: string;
  /** Where the code is exchanged when not at the DC's own accounts server (ZOHO_ACCOUNTS_URL: emulator, sandbox). */
  accountsUrl?: string;
  code: string;
  /** The browser flow's redirect URI; Zoho checks it matches the one the code was issued for. */
  redirectUri?: string;
  via: StoredConnection['via'];
}

export interface Activated {
  connection: StoredConnection;
  /** Required scopes the grant lacks (empty when Zoho did not list the granted scopes). */
  missingScopes: string[];
}

export async function activateWithCode(store: ActivationStore, request: CodeActivation): Promise<Activated> {
  const { dc, clientId, clientSecret, accountsUrl, code, redirectUri, via } = request;
  const overrideProblem = accountsUrl === undefined ? undefined : credentialUrlProblem(accountsUrl);
  if (overrideProblem) throw new ActivationError(`accounts server ${accountsUrl}: ${overrideProblem}`);
  const server = accountsUrl ?? ACCOUNTS_SERVERS[dc];
  let grant: Awaited<ReturnType<typeof exchangeAuthorizationCode>>;
  try {
    grant = await exchangeAuthorizationCode({ dc, clientId, clientSecret, accountsUrl }, code, EXCHANGE_TIMEOUT_MS, redirectUri);
  } catch (error) {
    if (!(error instanceof ZohoError)) throw error;
    if (error instanceof ZohoTransientError) {
      throw new ActivationError(
        `Zoho Accounts at ${server} did not answer the code exchange (${error.message}). Check this machine's network ` +
          '(and ZOHO_ACCOUNTS_URL, if set), then run the command again, with a new code once this one has expired.',
      );
    }
    throw new ActivationError(
      `Zoho Accounts at ${server} refused the authorisation code (${error.message}). Check that the code is fresh and unused ` +
        '(a self-client code lives 3 minutes by default and works once), that the client id and secret are right, and that ' +
        `the data centre (${dc}) is the one your Zoho account lives in: another data centre's accounts server does not know the client.`,
    );
  }
  const scopes = grant.scope === undefined ? undefined : parseScopes(grant.scope);
  const connection: StoredConnection = {
    dc,
    clientId,
    clientSecret,
    refreshToken: grant.refreshToken,
    ...(accountsUrl ? { accountsUrl } : {}),
    apiDomain: grant.apiDomain,
    ...(scopes ? { scopes } : {}),
    connectedAt: new Date().toISOString(),
    via,
  };
  await store.connect(connection);
  return { connection, missingScopes: scopes ? missingScopes(scopes) : [] };
}
