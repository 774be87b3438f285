import type { CallEvent } from '../../common/call-event';
import { summarizeCall } from '../../matrix/summarize-call';

const base = { provider: 'ringostat', callId: 'c1', visit: {}, parameters: {} };
const event = (moment: CallEvent['moment'], extra: Partial<CallEvent> = {}): CallEvent => ({
  ...base,
  moment,
  receivedAt: `2026-11-25T10:0${['start', 'answer', 'end'].indexOf(moment)}:00.000Z`,
  ...extra,
});

describe('summarizeCall', () => {
  it('folds start, answer and end events in call order whatever their arrival order', () => {
    const facts = summarizeCall(
      [
        event('end', { outcome: 'answered', talkSeconds: 40, durationSeconds: 55, recordingUrl: 'https://r', employee: { sipLogin: 'maria' }, transferred: true }),
        event('start', { direction: 'incoming', clientNumber: '098 123 45 67', visit: { utmSource: 'google' } }),
        event('answer', { employee: { sipLogin: 'ivan' } }),
      ],
      'UA',
      'Europe/Kyiv',
    );
    expect(facts).toMatchObject({
      direction: 'incoming',
      clientPhone: '+380981234567',
      outcome: 'answered',
      employee: { sipLogin: 'ivan' }, // M16: the first employee keeps the call
      transferred: true,
      talkSeconds: 40,
      recordingUrl: 'https://r',
      visit: { utmSource: 'google' },
      endedAt: '2026-11-25T10:02:00.000Z',
    });
  });

  it('L1: the call ends by the telephony\'s clock (start plus duration), not when its end event arrived, which the call log may bring days later', () => {
    const lateEnd = event('end', { receivedAt: '2026-11-28T09:00:00.000Z', startedAt: '2026-11-25T23:58:00', durationSeconds: 150 });
    expect(summarizeCall([lateEnd], 'UA', 'Europe/Kyiv').endedAt).toBe('2026-11-25T22:00:30.000Z');
    // The start read from the telephony on the start event counts too.
    expect(summarizeCall([event('start', { startedAt: '2026-11-25T09:59:00.000Z' }), event('end', { durationSeconds: 30 })], 'UA', 'Europe/Kyiv').endedAt).toBe('2026-11-25T09:59:30.000Z');
    // Never after the end event arrived: a telephony clock running ahead.
    expect(summarizeCall([event('end', { startedAt: '2026-11-25T10:01:50.000Z', durationSeconds: 30 })], 'UA', 'Europe/Kyiv').endedAt).toBe('2026-11-25T10:02:00.000Z');
    // Without the telephony's start or duration, when the end event arrived.
    expect(summarizeCall([event('end', { durationSeconds: 30 })], 'UA', 'Europe/Kyiv').endedAt).toBe('2026-11-25T10:02:00.000Z');
    expect(summarizeCall([event('end', { startedAt: '2026-11-25T09:59:00.000Z' })], 'UA', 'Europe/Kyiv').endedAt).toBe('2026-11-25T10:02:00.000Z');
  });

  it('without an end event: answered when someone picked up, else missed', () => {
    expect(summarizeCall([event('start'), event('answer', { employee: { extension: '101' } })], 'UA', 'Europe/Kyiv').outcome).toBe('answered');
    expect(summarizeCall([event('start')], 'UA', 'Europe/Kyiv').outcome).toBe('missed');
  });

  it('a talk time the end event does not give stays unknown, not 0', () => {
    expect(summarizeCall([event('start'), event('answer', { employee: { extension: '101' } })], 'UA', 'Europe/Kyiv').talkSeconds).toBeUndefined();
    expect(summarizeCall([event('end', { outcome: 'answered', talkSeconds: undefined, durationSeconds: 30 })], 'UA', 'Europe/Kyiv').talkSeconds).toBeUndefined();
  });

  it('keeps an unreadable number as raw text with no E.164 form', () => {
    const facts = summarizeCall([event('end', { clientNumber: 'anonymous' })], 'UA', 'Europe/Kyiv');
    expect(facts).toMatchObject({ clientNumberRaw: 'anonymous', clientPhone: null });
  });

  it("reads a wall-clock start in the CRM's zone, and an instant as it is", () => {
    expect(summarizeCall([event('end', { startedAt: '2026-10-25T04:30:00' })], 'UA', 'Europe/Kyiv').startedAt).toBe('2026-10-25T02:30:00.000Z');
    expect(summarizeCall([event('end', { startedAt: '2026-10-25T01:00:00.000Z' })], 'UA', 'Europe/Kyiv').startedAt).toBe('2026-10-25T01:00:00.000Z');
    expect(summarizeCall([event('end')], 'UA', 'Europe/Kyiv').startedAt).toBe('2026-11-25T10:02:00.000Z');
  });
});
