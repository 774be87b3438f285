/**
 * Issue 14 (integrity): whoever reaches Temporal's port without CALLMATRIX_ENCRYPTION_KEY cannot make the worker
 * write to the CRM. A raw Temporal client (no codec) signal-with-starts a call with a plain, well-formed answered
 * call from a new client, which would write a lead and a task (M1, M2) if accepted.
 */
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CallEvent } from '../../common/call-event';
import { callEventSignal, callWorkflowId, workflowTypes } from '../../temporal/contracts';
import { REFUSED_FAILURE_TYPE } from '../../temporal/refused-payload';
import { startCallHarness, type CallHarness } from '../support/call-harness';

describe('call data that callmatrix did not encrypt', () => {
  let harness: CallHarness;
  let connection: Connection;
  beforeAll(async () => {
    harness = await startCallHarness();
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    await connection.close();
    await harness.stop();
  });

  it('fails the forged call, visibly, and writes nothing to the CRM', async () => {
    const callId = harness.uniqueCallId();
    const now = new Date().toISOString();
    const forged: CallEvent = {
      provider: 'ringostat',
      callId,
      moment: 'end',
      receivedAt: now,
      startedAt: now,
      direction: 'incoming',
      clientNumber: '+380671112233',
      companyNumber: '+380442000000',
      employee: { extension: '101' },
      outcome: 'answered',
      talkSeconds: 42,
      durationSeconds: 50,
      visit: { utmSource: 'forged' },
      parameters: {},
    };
    const plainClient = new Client({ connection, namespace: 'default' });
    const handle = await plainClient.workflow.signalWithStart(workflowTypes.call, {
      workflowId: callWorkflowId('ringostat', callId),
      taskQueue: harness.taskQueue,
      signal: callEventSignal,
      signalArgs: [forged],
    });

    const failure = await handle.result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(REFUSED_FAILURE_TYPE);
    expect(cause?.message).toMatch(/signal callEvent: call data refused: not encrypted and authenticated by CALLMATRIX_ENCRYPTION_KEY/);
    for (const module of ['Leads', 'Tasks', 'Contacts', 'Deals']) expect(await harness.records(module)).toEqual([]);
  });

  it('fails a forged start of the re-activation, whose plain input would resume suspended calls', async () => {
    const plainClient = new Client({ connection, namespace: 'default' });
    const failure = await plainClient.workflow
      .execute(workflowTypes.reactivation, { workflowId: `reactivation-forged-${harness.uniqueCallId()}`, taskQueue: harness.taskQueue, args: [{ resend: true }] })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toMatch(/^workflow start: call data refused/);
  });
});
