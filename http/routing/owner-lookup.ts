/**
 * Who owns the caller in Zoho: the owners of the caller's open leads, open deals and contacts. The modules are
 * asked in parallel, every stored format of the number at once (M17), and the answers are kept per number for a
 * short while, so a caller who rings again within the TTL costs no Zoho request.
 */
import { phoneVariants } from '../../common/phone';
import type { RoutingModule } from '../../matrix/settings-schema';
import type { ZohoClient, ZohoRecordRef } from '../../zoho';
import { BoundedTtlCache, type CachePolicy } from '../../common/ttl-cache';

/** Owner ids (Zoho user ids) of the records found, per module; each promise settles on its own. */
export type OwnersByModule = ReadonlyMap<RoutingModule, Promise<string[]>>;

const FINDERS: Record<RoutingModule, (zoho: ZohoClient, phones: string[]) => Promise<ZohoRecordRef[]>> = {
  // Converted leads (C4) and deals in a closed stage are left out by the client itself.
  Leads: (zoho, phones) => zoho.findLeadsByPhone(phones),
  Deals: (zoho, phones) => zoho.findOpenDealsByPhone(phones),
  Contacts: (zoho, phones) => zoho.findContactsByPhone(phones),
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
    const variants = phoneVariants(e164, defaultCountry);
    const owners = new Map(
      modules.map((module) => [module, FINDERS[module](this.zoho, variants).then((records) => records.map((record) => record.ownerId))]),
    );
    for (const answer of owners.values()) {
      // A failed lookup is not reused. Handling it here also keeps a rejection that nobody awaits any more (the
      // deadline passed, or a higher-priority module already decided) from becoming an unhandled rejection.
      answer.catch(() => this.cache.forget(key, owners));
    }
    return owners;
  }
}
