/**
 * Zoho data centres and the only servers callmatrix talks to in each: a refresh token works only on the accounts
 * server of the DC that issued it, and the access token is only ever sent to that DC's API domain. Both are
 * https on Zoho's own domains. The emulator or a sandbox is reached only through an explicit override of the
 * accounts server (ZOHO_ACCOUNTS_URL, or `callmatrix activate --accounts-url`; common/credential-url.ts says which are
 * accepted), whose own origin then serves the API.
 */
export type DataCentre = 'us' | 'eu' | 'in' | 'au' | 'jp' | 'ca' | 'sa' | 'cn';

export const ACCOUNTS_SERVERS: Readonly<Record<DataCentre, string>> = {
  us: 'https://accounts.zoho.com',
  eu: 'https://accounts.zoho.eu',
  in: 'https://accounts.zoho.in',
  au: 'https://accounts.zoho.com.au',
  jp: 'https://accounts.zoho.jp',
  // Canada's accounts server lives on zohocloud.ca, not zoho.ca.
  ca: 'https://accounts.zohocloud.ca',
  sa: 'https://accounts.zoho.sa',
  cn: 'https://accounts.zoho.com.cn',
};

export const API_DOMAINS: Readonly<Record<DataCentre, string>> = {
  us: 'https://www.zohoapis.com',
  eu: 'https://www.zohoapis.eu',
  in: 'https://www.zohoapis.in',
  au: 'https://www.zohoapis.com.au',
  jp: 'https://www.zohoapis.jp',
  ca: 'https://www.zohoapis.ca',
  sa: 'https://www.zohoapis.sa',
  cn: 'https://www.zohoapis.com.cn',
};

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

/**
 * Whether an access token may be sent to the API domain a token response names: the DC's own API domain, or,
 * with an accounts-server override, that override's origin (the emulator serves both on one port).
 */
export function isTrustedApiDomain(apiDomain: string, dc: DataCentre, accountsOverride?: string): boolean {
  const parsed = parse(apiDomain);
  if (!parsed || parsed.username || parsed.password) return false;
  if (apiDomain.replace(/\/+$/, '') === API_DOMAINS[dc]) return true;
  return accountsOverride !== undefined && parsed.origin === parse(accountsOverride)?.origin;
}
