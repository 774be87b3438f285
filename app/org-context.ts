/**
 * Everything that belongs to one Zoho CRM organisation: its settings (the file, and the admin's activation
 * choices over it), its activation store, and its Zoho client, which owns the org's token, concurrency limiter,
 * credit tracker and metadata caches. The worker and the HTTP server are given an OrgContext and pass it down;
 * nothing org-specific lives at module level, so one deployment can later serve several orgs, one context each.
 */
import type { Logger } from 'pino';
import type { ActivationStore } from '../activation/credential-store';
import { settingsWithActivation } from '../activation/effective-settings';
import type { SettingsSource } from '../config/settings-source';
import { createZohoClient, type Edition, type ZohoClient } from '../zoho';
import type { ZohoTelemetry } from '../zoho/telemetry';

export interface OrgContext {
  /** The settings file as written, before the activation's choices: what the activation pages map. */
  fileSettings: SettingsSource;
  /** The settings file with the admin's activation choices applied (A2): what calls and routing are decided with. */
  settings: SettingsSource;
  /** Where the settings come from, named in configuration errors (a file path). */
  settingsOrigin: string;
  /** Zoho credentials, integration state (R1) and the admin's choices. */
  activation: ActivationStore;
  zoho: ZohoClient;
}

export function createOrgContext(options: {
  fileSettings: SettingsSource;
  settingsOrigin: string;
  activation: ActivationStore;
  edition: Edition;
  /** Bundle the lookup, the writes and a retry's marker checks into composite requests when granted (CALLMATRIX_ZOHO_COMPOSITE). */
  composite: boolean;
  logger: Logger;
  /** Where the Zoho client reports requests, token refreshes and credits (the process's metrics). */
  telemetry?: ZohoTelemetry;
}): OrgContext {
  const { fileSettings, activation } = options;
  return {
    fileSettings,
    settings: settingsWithActivation(fileSettings, activation),
    settingsOrigin: options.settingsOrigin,
    activation,
    zoho: createZohoClient({ credentials: activation, edition: options.edition, composite: options.composite, logger: options.logger, telemetry: options.telemetry }),
  };
}
