/**
 * Links to records in the Zoho CRM web app, for people (`callmatrix calls show`): the data centre's CRM domain
 * (crm.zoho.eu for the EU…, the accounts server's host with `crm.` for `accounts.`), the org's domain name from
 * the org API (`org<zgid>` unless the admin chose one), then `/tab/<module>/<record id>`.
 */
import { ACCOUNTS_SERVERS, type DataCentre } from './data-centres';

export function crmRecordUrl(org: { dc: DataCentre; domainName?: string }, module: string, id: string): string {
  const web = ACCOUNTS_SERVERS[org.dc].replace('://accounts.', '://crm.');
  const orgPath = org.domainName ? `/${encodeURIComponent(org.domainName)}` : '';
  return `${web}/crm${orgPath}/tab/${encodeURIComponent(module)}/${encodeURIComponent(id)}`;
}
