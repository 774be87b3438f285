/**
 * Who owns the caller in Zoho: the owners of the caller's open leads, open deals and contacts. One lookup for the
 * modules asked, the one the matrix uses (one composite request when granted: a single round trip, as fast as the
 * slowest of separate parallel queries and one credit instead of three), every stored format of the number at
 * once (M17); the answers are kept per number for a short while, so a caller who rings again within the TTL costs
 * no Zoho request.
 */
import { phoneVariants } from '../../common/phone';
import type { RoutingModule } from '../../matrix/settings-schema';
import type { CallerRecords, ZohoClient, ZohoRecordRef } from '../../zoho';
import { BoundedTtlCache, type CachePolicy } from '../../common/ttl-cache';

/** Owner ids (Zoho user ids) of the records found, per module. */
export type OwnersByModule = ReadonlyMap<RoutingModule, Promise<string[]>>;

const RECORDS_OF: Record<RoutingModule, (found: CallerRecords) => ZohoRecordRef[]> = {
  // Converted leads (C4) and deals in a closed stage are left out by the client itself.
  Leads: (found) => found.leads,
  Deals: (found) => found.deals,
  Contacts: (found) => found.contacts,
};

export class OwnerLookup {
  private readonly cache = new BoundedTtlCache<OwnersByModule>();

  constructor(private readonly zoho: ZohoClient) {}

  /** `e164` must be normalised already: it is the cache key. */
  owners(e164: string, modules: readonly RoutingModule[], defaultCountry: string, policy: CachePolicy): OwnersByModule {
    // The module list is part of the key, so an entry never lacks a module the current settings ask for.
    const key = `${modules.join(',')} ${e164}`;
    return this.cache.get(key, () => this.lookUp(key, e164, modules, defaultCountry), policy);
  }

  private lookUp(key: string, e164: string, modules: readonly RoutingModule[], defaultCountry: string): OwnersByModule {
    const found = this.zoho.findCaller(phoneVariants(e164, defaultCountry), modules);
    const owners = new Map(modules.map((module) => [module, found.then((records) => RECORDS_OF[module](records).map((record) => record.ownerId))]));
    for (const answer of owners.values()) {
      // A failed lookup is not reused. Handling it here also keeps a rejection that nobody awaits any more (the
      // deadline passed, or a higher-priority module already decided) from becoming an unhandled rejection.
      answer.catch(() => this.cache.forget(key, owners));
    }
    return owners;
  }
}
