import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, parseEncryptionKey } from './encryption-codec';

/**
 * The data converter of every Temporal client and worker of callmatrix: payloads and failure messages encrypted.
 * Client and worker must use the same keys, or the worker cannot read what the shim sent.
 */
/**
 * Failures are converted where they are raised: in the worker for activities, inside the workflow sandbox for
 * workflow code. Every workflow bundle is built with this path (worker/workflow-bundle.ts) and every data converter
 * names it, so a failure raised in a workflow is encrypted in history like an activity's.
 */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

export function createDataConverter(currentKey: string, previousKeys: string[] = []): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(parseEncryptionKey(currentKey), previousKeys.map(parseEncryptionKey))],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
