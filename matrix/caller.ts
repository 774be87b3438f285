/**
 * What the CRM knows about the caller, as the matrix sees it: new client, client with an open lead/deal, or client
 * with only a contact — and which record the call belongs to when several match.
 */
import type { CallerLookup, CrmPipeline, FoundContact, FoundDeal, FoundLead } from './input';

export type CallerKind = 'new' | 'open-lead-or-deal' | 'contact-only';

export interface OpenRecord {
  module: 'Leads' | 'Deals';
  id: string;
  ownerId: string;
  name?: string;
}

export interface CallerSituation {
  kind: CallerKind;
  /** The open lead or deal the call belongs to. */
  record?: OpenRecord;
  /** The contact tasks are linked to (`Who_Id`): the deal's own contact, else the chosen contact. */
  contact?: { id: string; ownerId?: string; name?: string };
  /** Owner of the record, else of the contact (SPEC "responsible manager"). */
  responsibleOwnerId?: string;
  /** Why some matches were not counted (converted leads, closed deals), for the explanation. */
  notes: string[];
}

/** Open stages of the deal's pipeline; a deal in an unknown pipeline is judged against every pipeline. */
export function isOpenDeal(deal: FoundDeal, pipelines: readonly CrmPipeline[]): boolean {
  const own = pipelines.filter((pipeline) => pipeline.name === deal.pipeline);
  return (own.length > 0 ? own : pipelines).some((pipeline) => pipeline.openStages.includes(deal.stage));
}

/**
 * Among several matches: the one owned by `preferredOwnerId` (the employee on the call — so a manager who answers
 * one of their own clients is not asked to review their own call), then the newest; ties broken by id so the
 * choice never depends on the order the CRM returned them in.
 */
export function choose<T extends { ownerId: string; createdTime: string; id: string }>(
  records: readonly T[],
  preferredOwnerId?: string,
): T | undefined {
  const rank = (record: T): [number, number, string] => [
    record.ownerId === preferredOwnerId ? 0 : 1,
    -Date.parse(record.createdTime) || 0,
    record.id,
  ];
  return [...records].sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return x[0] - y[0] || x[1] - y[1] || x[2].localeCompare(y[2]);
  })[0];
}

/**
 * A responsible manager Zoho no longer lets own anything — a user deactivated without their records handed over —
 * gives way to the senior manager, who owns what nobody else does: a task or Calls record owned by an inactive user
 * is refused (INVALID_DATA on Owner), and with it the whole call, its callback never written, however often it is
 * retried. No senior manager: nobody, and the CRM makes the integration user owner.
 */
export function withActiveResponsible(client: CallerSituation, activeUserIds: readonly string[] | undefined, seniorId: string | undefined): CallerSituation {
  const responsible = client.responsibleOwnerId;
  if (!responsible || !activeUserIds || activeUserIds.includes(responsible)) return client;
  const recordName = client.record ? `${client.record.module} ${client.record.id}` : `Contacts ${client.contact?.id}`;
  return {
    ...client,
    responsibleOwnerId: seniorId,
    notes: [
      ...client.notes,
      `The owner of ${recordName} (Zoho user ${responsible}) is not an active user: ${seniorId ? 'the senior manager' : 'nobody (no senior manager configured)'} takes the follow-up in their place.`,
    ],
  };
}

export interface AssessOptions {
  /** Zoho user id of the employee on the call, if known. */
  preferredOwnerId?: string;
  /** Ids of records this call itself created before it was answered (O1): they are not the client's history. */
  excludeIds?: readonly string[];
}

export function assessCaller(
  lookup: CallerLookup,
  pipelines: readonly CrmPipeline[],
  options: AssessOptions = {},
): CallerSituation {
  const notes: string[] = [];
  const excluded = new Set(options.excludeIds ?? []);
  const leads = lookup.leads.filter((lead) => !excluded.has(lead.id));
  const openLeads = leads.filter((lead: FoundLead) => !lead.converted);
  const openDeals = lookup.deals.filter((deal) => isOpenDeal(deal, pipelines));
  for (const lead of leads.filter((candidate) => candidate.converted)) notes.push(`Lead ${lead.id} is converted: not an open lead.`);
  for (const deal of lookup.deals.filter((candidate) => !openDeals.includes(candidate))) {
    notes.push(`Deal ${deal.id} is in stage '${deal.stage}', not an open stage: not an open deal.`);
  }

  // Lead before deal (SPEC "responsible manager", S1 order); the preferred owner only chooses within a module.
  const lead = choose(openLeads, options.preferredOwnerId);
  const deal = lead ? undefined : choose(openDeals, options.preferredOwnerId);
  const record: OpenRecord | undefined = lead
    ? { module: 'Leads', id: lead.id, ownerId: lead.ownerId, name: lead.name }
    : deal && { module: 'Deals', id: deal.id, ownerId: deal.ownerId, name: deal.name };
  const contacts = lookup.contacts.filter((contact) => !excluded.has(contact.id));
  const dealContact = deal?.contactId ? contacts.find((contact) => contact.id === deal.contactId) : undefined;
  const chosen: FoundContact | undefined = dealContact ?? choose(contacts, options.preferredOwnerId);
  const contact =
    deal?.contactId && !dealContact
      ? { id: deal.contactId }
      : chosen && { id: chosen.id, ownerId: chosen.ownerId, name: chosen.name };

  const kind: CallerKind = record ? 'open-lead-or-deal' : contact ? 'contact-only' : 'new';
  if (openLeads.length + openDeals.length > 1 && record) {
    notes.push(`Several open leads/deals match; the call goes to ${record.module} ${record.id} (lead before deal, own before others, newest first).`);
  }
  return { kind, record, contact, responsibleOwnerId: record?.ownerId ?? contact?.ownerId, notes };
}
