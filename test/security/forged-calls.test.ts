/**
 * Issue 14 (integrity): whoever reaches Temporal's port without CALLMATRIX_ENCRYPTION_KEY cannot make the worker
 * write to the CRM. A raw Temporal client (no codec) signal-with-starts a call with a plain, well-formed answered
 * call from a new client, which would write a lead and a task (M1, M2) if accepted; or with a real call's
 * encrypted event, copied from that call's history, under a new call id (M1 again, a second lead).
 */
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CallEvent } from '../../common/call-event';
import { callEventSignal, callWorkflowId, workflowTypes } from '../../temporal/contracts';
import { incomingCall } from '../scenarios/scenario-kit';
import { REFUSED_FAILURE_TYPE } from '../../temporal/refused-payload';
import { startCallHarness, type CallHarness } from '../support/call-harness';
import { createMetrics } from '../../observability/metrics';
import pino from 'pino';

describe('call data that callmatrix did not encrypt', () => {
  let harness: CallHarness;
  let connection: Connection;
  const metrics = createMetrics({ defaultMetrics: false });
  /** What the worker counted in callmatrix_workflow_inputs_refused_total, by kind. */
  const refused = async (kind: string) =>
    (await metrics.registry.getSingleMetric('callmatrix_workflow_inputs_refused_total')!.get()).values.find((sample) => sample.labels.kind === kind)?.value ?? 0;
  beforeAll(async () => {
    harness = await startCallHarness({ observe: { metrics, logger: pino({ level: 'silent' }) } });
    connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  });
  afterAll(async () => {
    await connection.close();
    await harness.stop();
  });

  it('fails the forged call, visibly, writes nothing to the CRM, and counts the refused signal', async () => {
    const refusedBefore = await refused('signal');
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

    // Read with the deployment's keys: the failure, raised in workflow code, is encrypted in history like an activity's.
    const failure = await harness.temporal.workflow.getHandle(handle.workflowId).result().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(REFUSED_FAILURE_TYPE);
    expect(cause?.message).toMatch(/signal callEvent: call data refused: not encrypted and authenticated by CALLMATRIX_ENCRYPTION_KEY/);
    const { history } = await plainClient.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId: handle.workflowId } });
    const recorded = history!.events!.find((event) => event.workflowExecutionFailedEventAttributes)!.workflowExecutionFailedEventAttributes!.failure!;
    expect(recorded).toMatchObject({ message: 'Encoded failure', stackTrace: '', encodedAttributes: { metadata: { encoding: expect.anything() } } });
    for (const module of ['Leads', 'Tasks', 'Contacts', 'Deals']) expect(await harness.records(module)).toEqual([]);
    expect(await refused('signal')).toBe(refusedBefore + 1);
  });

  it('M1: fails a call started with another call\'s encrypted event, copied from its history, and writes no second lead', async () => {
    const callId = harness.uniqueCallId();
    await harness.send('end', incomingCall(callId));
    expect((await harness.result(callId)).plan?.rule).toBe('M1');
    expect(await harness.records('Leads')).toHaveLength(1);

    const { history } = await connection.workflowService.getWorkflowExecutionHistory({
      namespace: 'default',
      execution: { workflowId: callWorkflowId('ringostat', callId) },
    });
    const copied = history?.events?.find((event) => event.workflowExecutionSignaledEventAttributes?.signalName === callEventSignal.name)
      ?.workflowExecutionSignaledEventAttributes?.input;
    expect(copied?.payloads).toHaveLength(1);
    const replayedCallId = harness.uniqueCallId();
    const refusedBefore = await refused('signal');
    await connection.workflowService.signalWithStartWorkflowExecution({
      namespace: 'default',
      workflowId: callWorkflowId('ringostat', replayedCallId),
      workflowType: { name: workflowTypes.call },
      taskQueue: { name: harness.taskQueue },
      signalName: callEventSignal.name,
      signalInput: copied,
      requestId: replayedCallId,
    });

    const failure = await harness.temporal.workflow
      .getHandle(callWorkflowId('ringostat', replayedCallId))
      .result()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toMatchObject({ type: REFUSED_FAILURE_TYPE, message: expect.stringMatching(/^signal callEvent: call data refused: the event is another call's/) });
    expect(await harness.records('Leads')).toHaveLength(1);
    expect(await refused('signal')).toBe(refusedBefore + 1);
  });

  it('fails a forged start of the re-activation, whose plain input would resume suspended calls', async () => {
    const refusedBefore = await refused('start');
    const plainClient = new Client({ connection, namespace: 'default' });
    const workflowId = `reactivation-forged-${harness.uniqueCallId()}`;
    await plainClient.workflow.start(workflowTypes.reactivation, { workflowId, taskQueue: harness.taskQueue, args: [{ resend: true }] });
    const failure = await harness.temporal.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toMatch(/^workflow start: call data refused/);
    expect(await refused('start')).toBe(refusedBefore + 1);
  });
});
