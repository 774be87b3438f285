/** The failure contracts between activities and workflows (temporal/failures.ts). */
import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import type { WrittenRecord } from '../../temporal/call-status';
import {
  failureTypes,
  integrationBrokenAgain,
  isAuthorizationFailure,
  NON_RETRYABLE_ZOHO_ERRORS,
  partialWriteFailure,
  writtenBeforeRefusal,
} from '../../temporal/failures';
import { ZohoAuthorizationError, ZohoValidationError } from '../../zoho/errors';

const written: WrittenRecord[] = [{ operation: 'lead', module: 'Leads', id: 'L1', created: true }];
/** How a regular activity's failure reaches the workflow: wrapped in an ActivityFailure. */
const fromActivity = (cause: Error) => new ActivityFailure('activity failed', 'applyPlan', '1', RetryState.NON_RETRYABLE_FAILURE, undefined, cause);

describe('failure contracts', () => {
  it('the Zoho error classes fail activities under the type names workflows expect', () => {
    expect(ZohoAuthorizationError.errorType).toBe(ZohoAuthorizationError.name);
    expect(ZohoValidationError.errorType).toBe(ZohoValidationError.name);
    expect([...NON_RETRYABLE_ZOHO_ERRORS].sort()).toEqual([failureTypes.zohoAuthorization, failureTypes.zohoValidation]);
  });

  it('a partial write carries the records written before the refusal, wrapped or bare', () => {
    const failure = partialWriteFailure('Zoho rejected the task', written);
    expect(failure).toMatchObject({ type: failureTypes.zohoValidation, nonRetryable: true, message: 'Zoho rejected the task' });
    expect(writtenBeforeRefusal(failure)).toEqual(written);
    expect(writtenBeforeRefusal(fromActivity(failure))).toEqual(written);
  });

  it('any other failure has written nothing', () => {
    expect(writtenBeforeRefusal(ApplicationFailure.create({ type: failureTypes.zohoValidation, details: ['not records'] }))).toEqual([]);
    expect(writtenBeforeRefusal(ApplicationFailure.create({ type: 'ZohoTransientError', details: [{ written }] }))).toEqual([]);
    expect(writtenBeforeRefusal(new Error('boom'))).toEqual([]);
  });

  it('R1: a refused authorisation is recognised wrapped or bare', () => {
    const refused = ApplicationFailure.create({ type: failureTypes.zohoAuthorization, message: 'revoked' });
    expect(isAuthorizationFailure(refused)).toBe(true);
    expect(isAuthorizationFailure(fromActivity(refused))).toBe(true);
    expect(isAuthorizationFailure(partialWriteFailure('x', written))).toBe(false);
  });

  it('R3: the broken-again failure names the call and is not retried', () => {
    expect(integrationBrokenAgain('call:ringostat:7')).toMatchObject({
      type: failureTypes.integrationBrokenAgain,
      nonRetryable: true,
      message: expect.stringContaining('call:ringostat:7'),
    });
  });
});
