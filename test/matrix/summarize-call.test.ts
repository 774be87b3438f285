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
