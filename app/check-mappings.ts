/**
 * D3 at start and on every edit of the settings file: a worker refuses to run with (and a running process refuses
 * to take up) mappings that point at a missing or non-String Zoho field, or send two
 * parameters to one field, rather than fail on every call later. Missing A3 default fields only warn (the doctor
 * says how to create them): calls are still worth writing without them.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../config/config-error';
import { MAPPED_MODULES } from '../matrix/mapped-modules';
import type { Settings } from '../matrix/settings-schema';
import { validateMappings } from '../matrix';
import { loggedError } from '../observability/logged-error';
import { ZohoAuthorizationError, type ZohoClient } from '../zoho';

export async function checkMappingsAgainstCrm(zoho: ZohoClient, settings: Settings, settingsFile: string, logger: Logger): Promise<void> {
  let fields;
  try {
    fields = Object.fromEntries(await Promise.all(MAPPED_MODULES.map(async (module) => [module, await zoho.cachedFields(module)] as const)));
  } catch (error) {
    // Not activated yet, Zoho unreachable or refusing: calls wait or suspend anyway; `callmatrix doctor` checks later.
    warnFieldsUnread(logger, error);
    return;
  }
  const problems = validateMappings(settings, fields);
  const configured = problems.filter((p) => Object.values(settings.mappings[p.module]).includes(p.field));
  for (const problem of problems.filter((p) => !configured.includes(p))) logger.warn({ field: problem.field }, problem.message);
  if (configured.length) throw new ConfigError(configured.map((p) => `${settingsFile}: ${p.message}`).join('\n'));
}

/**
 * Why the fields could not be read, on one line: not being activated yet is a state the operator acts on, and Zoho
 * unreachable or refusing is said by its message; neither is a fault in callmatrix, so neither gets a stack. Anything
 * else is unexpected and keeps its stack.
 */
function warnFieldsUnread(logger: Logger, error: unknown): void {
  if (error instanceof ZohoAuthorizationError && error.reason === 'not_connected') {
    logger.warn(
      'Zoho CRM is not activated yet; calls wait until it is. Activate it with `callmatrix activate` (`callmatrix activate --help`) ' +
        "or on the webhook shim's /activation page; `callmatrix doctor` then checks the mappings (D3)",
    );
    return;
  }
  const unread = 'could not read Zoho fields to check the mappings (D3); run `callmatrix doctor` once Zoho is reachable';
  logger.warn(loggedError(error), unread);
}
