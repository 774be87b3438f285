/** Zoho data centres: a refresh token works only on the accounts server of the DC that issued it. */
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
