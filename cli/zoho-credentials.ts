import type { IntegrationState } from '../activities/crm';
import type { Environment } from '../config/environment';
import type { CredentialsSource, ZohoCredentials } from '../zoho';

/**
 * Credentials from ZOHO_* environment variables, or none. They seed the activation store when it is empty; after
 * that the store (activation page or CLI) is the source.
 */
export function environmentCredentials(env: Environment): ZohoCredentials | null {
  if (!env.ZOHO_CLIENT_ID || !env.ZOHO_CLIENT_SECRET || !env.ZOHO_REFRESH_TOKEN) return null;
  return {
    dc: env.ZOHO_DC,
    clientId: env.ZOHO_CLIENT_ID,
    clientSecret: env.ZOHO_CLIENT_SECRET,
    refreshToken: env.ZOHO_REFRESH_TOKEN,
    accountsUrl: env.ZOHO_ACCOUNTS_URL,
  };
}

/**
 * A CLI command's reads of Zoho write nothing: a refused authorisation is reported by the command, not recorded in
 * the shared activation state.
 */
export const readOnlyIntegration = (credentials: CredentialsSource): IntegrationState => ({
  broken: () => undefined,
  current: () => credentials.current(),
  markBroken: async () => undefined,
});
