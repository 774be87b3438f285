/**
 * What every workflow bundle of callmatrix is built from: the workflows, the interceptor that refuses call data
 * not encrypted by callmatrix's keys (temporal/refuse-unauthenticated-input.ts), and the failure converter that
 * encrypts the failures workflow code raises. The worker, the production bundle script, the tests and the benches
 * all bundle with these options, so none runs workflows without either.
 */
import { bundleWorkflowCode, Runtime, type WorkflowBundle } from '@temporalio/worker';
import type { Logger, LogLevel } from '@temporalio/common';
import { FAILURE_CONVERTER_PATH } from '../temporal/data-converter';

export const workflowBundleOptions = {
  workflowsPath: require.resolve('../workflows'),
  workflowInterceptorModules: [require.resolve('../temporal/refuse-unauthenticated-input')],
  failureConverterPath: FAILURE_CONVERTER_PATH,
};

/**
 * The SDK's bundler logs webpack's whole report (every module, a screenful) at INFO: on every start of a worker
 * without a prebuilt bundle (`npm start`, `callmatrix worker` without --workflow-bundle) that buried the lines an
 * operator reads. It is for whoever debugs the bundle, so it goes to DEBUG; webpack's warnings and errors keep theirs.
 */
function bundlerLogger(sdk: Logger): Logger {
  const level = (entry: LogLevel): LogLevel => (entry === 'INFO' ? 'DEBUG' : entry);
  return {
    log: (entry, message, meta) => sdk.log(level(entry), message, meta),
    trace: (message, meta) => sdk.trace(message, meta),
    debug: (message, meta) => sdk.debug(message, meta),
    info: (message, meta) => sdk.debug(message, meta),
    warn: (message, meta) => sdk.warn(message, meta),
    error: (message, meta) => sdk.error(message, meta),
  };
}

/** Bundles the workflows in this process, for a worker started without a prebuilt bundle, through the process's Temporal runtime logger. */
export async function bundleWorkflowsAtStart(): Promise<WorkflowBundle> {
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions, logger: bundlerLogger(Runtime.instance().logger) });
  return { code };
}
