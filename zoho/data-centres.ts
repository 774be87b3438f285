/**
 * Zoho data centres and the only servers callmatrix talks to in each: a refresh token works only on the accounts
 * server of the DC that issued it, and the access token is only ever sent to that DC's API domain. Both are
 * https on Zoho's own domains. The emulator or a sandbox is reached only through an explicit override of the
 * accounts server (ZOHO_ACCOUNTS_URL, or `callmatrix activate --accounts-url`), whose own origin then serves the API.
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

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const parse = (url: string): URL | undefined => {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
};

/**
 * Why an accounts-server override is not acceptable, or undefined when it is: https, or plain http on this
 * machine's loopback only (the emulator), with no credentials in the URL.
 */
export function accountsOverrideProblem(url: string): string | undefined {
  const parsed = parse(url);
  if (!parsed) return 'must be a URL';
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return 'must be https (plain http only on 127.0.0.1, localhost or [::1])';
}

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
