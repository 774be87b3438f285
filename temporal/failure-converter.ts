/**
 * Failure messages and stack traces may quote a record Zoho rejected: encode them like payloads (so the
 * encryption codec covers them). Loaded by path because workflow code uses it too.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
