import type { Environment } from '../config/environment';
import type { ZohoCredentials } from '../zoho';

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
