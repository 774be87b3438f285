import type { DataConverter } from '@temporalio/common';
import { EncryptionCodec, parseEncryptionKey } from './encryption-codec';

/**
 * The data converter of every Temporal client and worker of callmatrix: payloads and failure messages encrypted.
 * Client and worker must use the same keys, or the worker cannot read what the shim sent.
 */
export function createDataConverter(currentKey: string, previousKeys: string[] = []): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(parseEncryptionKey(currentKey), previousKeys.map(parseEncryptionKey))],
    failureConverterPath: require.resolve('./failure-converter'),
  };
}
