/**
 * Zoho data centres and how the emulator maps them onto one HTTP port: every DC gets an accounts server under
 * `/accounts/{dc}` and an API domain under `/zohoapis/{dc}` (see README.md for the whole URL scheme).
 */
export const DATA_CENTRES = ['us', 'eu', 'in', 'au', 'jp', 'ca', 'sa', 'cn'] as const;
export type DataCentre = (typeof DATA_CENTRES)[number];

export function isDataCentre(value: unknown): value is DataCentre {
  return typeof value === 'string' && (DATA_CENTRES as readonly string[]).includes(value);
}

export const ACCOUNTS_PREFIX = '/accounts';
export const API_PREFIX = '/zohoapis';

export function accountsUrl(baseUrl: string, dc: DataCentre): string {
  return `${baseUrl}${ACCOUNTS_PREFIX}/${dc}`;
}

export function apiDomain(baseUrl: string, dc: DataCentre): string {
  return `${baseUrl}${API_PREFIX}/${dc}`;
}
