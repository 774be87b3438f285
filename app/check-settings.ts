/**
 * The settings against the CRM, at start and on every edit of the settings file: a worker refuses to run with (and
 * a running process refuses to take up) settings that name what the CRM does not have, rather than fail calls
 * later. That is mappings to a missing or non-String Zoho field, or two parameters sent to one field (D3), and
 * pipeline rules naming a pipeline or an open stage the CRM's Deals do not have (D4: a deal in a missing stage is
 * refused by Zoho, and one for a missing pipeline would silently go to the default one). Missing A3 default fields
 * only warn (the doctor says how to create them): calls are still worth writing without them.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error';
import { MAPPED_MODULES } from '../matrix/mapped-modules';
import type { Settings } from '../matrix/settings-schema';
import { validateMappings, validatePipelineRules } from '../matrix';
import { loggedError } from '../observability/logged-error';
import { ZohoAuthorizationError, type ZohoClient } from '../zoho';

export async function checkSettingsAgainstCrm(zoho: ZohoClient, settings: Settings, settingsFile: string, logger: Logger): Promise<void> {
  let fields;
  let pipelines;
  try {
    [fields, pipelines] = await Promise.all([
      Promise.all(MAPPED_MODULES.map(async (module) => [module, await zoho.cachedFields(module)] as const)).then(Object.fromEntries),
      // Read only when there are rules to check: most settings have none, and calls read the pipelines anyway.
      settings.pipelines.rules.length ? zoho.dealPipelines() : [],
    ]);
  } catch (error) {
    // Not activated yet, Zoho unreachable or refusing: calls wait or suspend anyway; `callmatrix doctor` checks later.
    warnCrmUnread(logger, error);
    return;
  }
  const problems = validateMappings(settings, fields);
  const configured = problems.filter((p) => Object.values(settings.mappings[p.module]).includes(p.field));
  for (const problem of problems.filter((p) => !configured.includes(p))) logger.warn({ field: problem.field }, problem.message);
  const refused = [...configured.map((p) => p.message), ...validatePipelineRules(settings, pipelines)];
  if (refused.length) throw new ConfigError(refused.map((message) => `${settingsFile}: ${message}`).join('\n'));
}

/**
 * Why the CRM could not be read, on one line: not being activated yet is a state the operator acts on, and Zoho
 * unreachable or refusing is said by its message; neither is a fault in callmatrix, so neither gets a stack. Anything
 * else is unexpected and keeps its stack.
 */
function warnCrmUnread(logger: Logger, error: unknown): void {
  if (error instanceof ZohoAuthorizationError && error.reason === 'not_connected') {
    logger.warn(
      'Zoho CRM is not activated yet; calls wait until it is. Activate it with `callmatrix activate` (`callmatrix activate --help`) ' +
        "or on the webhook shim's /activation page; `callmatrix doctor` then checks the mappings (D3) and pipeline rules (D4)",
    );
    return;
  }
  const unread = 'could not read Zoho fields and pipelines to check the mappings (D3) and pipeline rules (D4); run `callmatrix doctor` once Zoho is reachable';
  logger.warn(loggedError(error), unread);
}
