/**
 * Field values of the records the matrix writes: the default parameters (D2 — UTM and Google client id on Leads,
 * the A3 custom fields) and the per-module mappings (D3).
 */
import type { VisitData } from '../common/call-event';
import type { MappedModule, Settings } from './settings-schema';
import { leadDescription } from './call-text';
import type { CallStartFacts } from './input';
import { formatPhone } from '../common/phone';

/** The Lead custom fields the admin creates (A3) and every call writes (D2), with the visit value each takes. */
export const DEFAULT_LEAD_FIELDS = {
  rs_utm_source: (visit: VisitData) => visit.utmSource,
  rs_utm_medium: (visit: VisitData) => visit.utmMedium,
  rs_utm_campaign: (visit: VisitData) => visit.utmCampaign,
  rs_utm_term: (visit: VisitData) => visit.utmTerm,
  rs_utm_content: (visit: VisitData) => visit.utmContent,
  rs_google_client_id: (visit: VisitData) => visit.googleClientId,
} as const;

/** Values only, absent ones left out: an update must not blank a field the call knows nothing about. */
function present(entries: [string, string | undefined][]): Record<string, string> {
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => !!entry[1]?.trim()));
}

/** D3: the module's configured `parameter → field` pairs, for the parameters this call has. */
export function mappedFields(module: MappedModule, settings: Settings, parameters: Record<string, string>): Record<string, string> {
  return present(Object.entries(settings.mappings[module]).map(([parameter, field]) => [field, parameters[parameter]]));
}

/** D2 + D3 for Leads: what the call tells about the visit. Also what O2 writes into a lead another system made. */
export function leadCallData(call: CallStartFacts, settings: Settings): Record<string, string> {
  const defaults = present(Object.entries(DEFAULT_LEAD_FIELDS).map(([field, value]) => [field, value(call.visit)]));
  return { ...mappedFields('Leads', settings, call.parameters), ...defaults };
}

/** `newRecords.nameTemplate` filled in: `Last_Name` of new leads and contacts, `Deal_Name` of new deals. */
export function recordName(call: CallStartFacts, phone: string, settings: Settings): string {
  const { nameTemplate, phoneStyle } = settings.newRecords;
  const values: Record<string, string> = {
    phone: formatPhone(phone, phoneStyle, settings.telephony.defaultCountry),
    direction: call.direction === 'outgoing' ? 'to' : 'from',
  };
  return nameTemplate.replace(/\{(\w+)\}/g, (_, name: string) => values[name]);
}

export const ownerField = (ownerId: string | undefined): Record<string, unknown> =>
  ownerId ? { Owner: { id: ownerId } } : {};

/** A new lead for the caller (M1, M6, M7, M9, M13): named by the template, phoned by its E.164 number (M17). */
export function newLeadFields(call: CallStartFacts, phone: string, ownerId: string | undefined, settings: Settings, timeZone: string) {
  return {
    Last_Name: recordName(call, phone, settings),
    Phone: phone,
    ...ownerField(ownerId),
    Lead_Source: settings.newRecords.leadSource,
    Description: leadDescription(call, timeZone),
    ...leadCallData(call, settings),
  };
}

/** A new contact (only when a scenario switch asks for it, O3). */
export function newContactFields(call: CallStartFacts, phone: string, ownerId: string | undefined, settings: Settings) {
  return {
    ...mappedFields('Contacts', settings, call.parameters),
    Last_Name: recordName(call, phone, settings),
    Phone: phone,
    ...ownerField(ownerId),
    Lead_Source: settings.newRecords.leadSource,
  };
}

/** A new deal (only when a scenario switch asks for it, O3) in the pipeline D4 chose. */
export function newDealFields(
  call: CallStartFacts,
  phone: string,
  ownerId: string | undefined,
  placement: { pipeline: string; stage: string },
  settings: Settings,
  timeZone: string,
) {
  return {
    ...mappedFields('Deals', settings, call.parameters),
    Deal_Name: recordName(call, phone, settings),
    Stage: placement.stage,
    Pipeline: placement.pipeline,
    ...ownerField(ownerId),
    Lead_Source: settings.newRecords.leadSource,
    Description: leadDescription(call, timeZone),
  };
}
