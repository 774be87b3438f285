/**
 * The modules per-module mappings (D3) write to. Its own module, free of zod, because the matrix imports it and
 * the matrix runs in workflow code: every new workflow evaluates its imports again, and building the settings
 * schema there cost more CPU than the rest of the workflow together.
 */
export const MAPPED_MODULES = ['Leads', 'Contacts', 'Deals'] as const;
export type MappedModule = (typeof MAPPED_MODULES)[number];
