import { flattenParameters } from '../../telephony/flatten-parameters';
import { ringostatAdapter } from '../../telephony/ringostat';

const receivedAt = new Date('2026-11-25T10:00:00Z');

function read(moment: 'start' | 'answer' | 'end', parameters: Record<string, string>) {
  return ringostatAdapter.toCallEvent({ moment, parameters, receivedAt });
}

describe('Ringostat webhook parameters', () => {
  it('flattens query, body and additional_call_data, the root winning over nested values', () => {
    const flat = flattenParameters(
      { secret: 's', event: 'end', utm_source: 'query' },
      { uniqueid: '1', billsec: 42, additional_call_data: { dst: '+380442000000', uniqueid: 'nested' } },
      {},
    );
    expect(flat).toEqual({ utm_source: 'query', uniqueid: '1', billsec: '42', dst: '+380442000000' });
  });

  it('reads additional_call_data sent as a JSON string (form posts)', () => {
    expect(flattenParameters({}, { additional_call_data: '{"caller":"0981234567"}' }, {})).toEqual({ caller: '0981234567' });
  });

  it('renames the names chosen in Ringostat to the product names', () => {
    const flat = flattenParameters({}, { call_id: 'x', phone: '+380671234567' }, { uniqueid: 'call_id', caller: 'phone' });
    expect(flat).toEqual({ uniqueid: 'x', caller: '+380671234567' });
  });
});

describe('Ringostat adapter', () => {
  it('reads an answered incoming call', () => {
    const result = read('end', {
      uniqueid: '1700000000.123',
      calldate: '2026-11-25 11:58:00',
      call_type: 'in',
      caller: '+380671234567',
      dst: '+380442000000',
      disposition: 'ANSWERED',
      billsec: '42',
      duration: '50',
      connected_with: 'ivan',
      employee_fio: 'Ivan Petrenko',
      recording: 'https://example.com/r.mp3',
      utm_source: 'google',
      client_id: 'GA1.2.3',
      pool_name: 'Contextual ads',
    });
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.event).toMatchObject({
      provider: 'ringostat',
      callId: '1700000000.123',
      moment: 'end',
      direction: 'incoming',
      clientNumber: '+380671234567',
      companyNumber: '+380442000000',
      outcome: 'answered',
      talkSeconds: 42,
      durationSeconds: 50,
      employee: { sipLogin: 'ivan', name: 'Ivan Petrenko' },
      recordingUrl: 'https://example.com/r.mp3',
      transferred: false,
      visit: { utmSource: 'google', googleClientId: 'GA1.2.3', poolName: 'Contextual ads' },
    });
  });

  it('treats a call nobody talked on as missed, whatever its status', () => {
    const result = read('end', { uniqueid: '1', disposition: 'ANSWERED', billsec: '0' });
    expect(result.ok && result.event.outcome).toBe('missed');
  });

  it('reads voicemail, busy and no-answer statuses', () => {
    const outcome = (disposition: string) => {
      const r = read('end', { uniqueid: '1', disposition });
      return r.ok ? r.event.outcome : r.errors;
    };
    expect(outcome('VOICEMAIL')).toBe('voicemail');
    expect(outcome('NO ANSWER')).toBe('missed');
    expect(outcome('busy')).toBe('missed');
    expect(outcome('PROPER')).toBe('answered');
  });

  it('reads outgoing calls: the client is the destination, the caller is the employee', () => {
    const result = read('end', { uniqueid: '1', call_type: 'out', caller: '101', dst: '0981234567', billsec: '12' });
    expect(result.ok && result.event).toMatchObject({ direction: 'outgoing', clientNumber: '0981234567', employee: { extension: '101' } });
  });

  describe('M10, M15: without call_type, the direction the numbers show', () => {
    const direction = (parameters: Record<string, string>) => {
      const result = read('end', { uniqueid: '1', disposition: 'ANSWERED', billsec: '12', ...parameters });
      if (!result.ok) throw new Error(result.errors.join());
      return result.event;
    };

    it.each([
      ['a SIP login', 'maria'],
      ['an extension', '101'],
      ['a SIP address', 'ivan@pbx.example.com'],
    ])('M10: an employee device in caller (%s) dialling a phone number in dst is outgoing: the client is dst', (_what, caller) => {
      expect(direction({ caller, dst: '0981234567' })).toMatchObject({ direction: 'outgoing', clientNumber: '0981234567', companyNumber: undefined });
    });

    it('M10: an unreadable call_type, left out, is inferred the same way', () => {
      expect(direction({ call_type: 'transfer', caller: 'maria', dst: '+380981234567' })).toMatchObject({ direction: 'outgoing', clientNumber: '+380981234567' });
    });

    it('M10: the dialling employee is caller when connected_with and employee_number are absent', () => {
      expect(direction({ caller: 'maria', dst: '0981234567' }).employee).toEqual({ sipLogin: 'maria' });
    });

    it.each([
      ['a phone number in caller', { caller: '+380671234567', dst: '+380442000000' }],
      ['a phone number in caller, an extension in dst', { caller: '+380671234567', dst: '101' }],
      ['employee devices on both sides', { caller: '101', dst: '102' }],
      ['no caller', { dst: '0981234567' }],
    ] as [string, Record<string, string>][])('M15: %s tells no direction: left to the default (incoming), caller is the client', (_what, parameters) => {
      expect(direction(parameters)).toMatchObject({ direction: undefined, clientNumber: parameters.caller });
    });

    it('M10: a stated call_type wins over what the numbers show', () => {
      expect(direction({ call_type: 'in', caller: 'maria', dst: '0981234567' })).toMatchObject({ direction: 'incoming', clientNumber: 'maria' });
    });
  });

  it('M16: a transferred call keeps the first employee it was connected with', () => {
    const result = read('end', { uniqueid: '1', connected_with: 'ivan, maria', billsec: '30' });
    expect(result.ok && result.event).toMatchObject({ employee: { sipLogin: 'ivan' }, transferred: true });
  });

  it('L4: an unreadable call id refuses the call, naming every unreadable field', () => {
    const result = read('end', { uniqueid: '', call_type: 'sideways', billsec: 'long', recording: 'not a url' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual(
      expect.arrayContaining([
        'uniqueid: the call id is required',
        expect.stringMatching(/^call_type: expected one of in, incoming/),
        'billsec: expected a number of seconds (42) or h:mm:ss',
        expect.stringMatching(/^recording: /),
      ]),
    );
  });

  describe('L1, L4: an unreadable optional field is left out, and the call read without it', () => {
    const answered = { uniqueid: '1', call_type: 'in', caller: '+380671234567', disposition: 'ANSWERED', billsec: '42', duration: '50', recording: 'https://example.com/r.mp3' };

    it.each([
      ['call_type', 'transfer', 'direction'],
      ['call_type', 'Incoming call', 'direction'],
      ['recording', 'recordings/x.mp3', 'recordingUrl'],
      ['recording', '//records.example.com/a.mp3', 'recordingUrl'],
      // #14: a link a manager would click in a task is http(s) or nothing.
      ['recording', 'javascript:alert(1)', 'recordingUrl'],
      ['recording', 'data:text/html,<script>alert(1)</script>', 'recordingUrl'],
      ['recording', 'file:///etc/passwd', 'recordingUrl'],
      ['recording', 'ftp://example.com/a.mp3', 'recordingUrl'],
      ['billsec', 'forty', 'talkSeconds'],
      ['duration', '-1', 'durationSeconds'],
    ] as const)('L1, L4: %s %j is dropped (no %s), the rest of the call is read', (field, value, property) => {
      const result = read('end', { ...answered, [field]: value });
      if (!result.ok) throw new Error(result.errors.join());
      expect(result.dropped).toEqual([{ field, problem: expect.stringMatching(/^expected /) }]);
      expect(result.dropped[0].problem).not.toContain(value);
      expect(result.event[property]).toBeUndefined();
      expect(result.event).toMatchObject({ callId: '1', clientNumber: '+380671234567', outcome: 'answered' });
    });

    it('L4: a readable call reports nothing dropped', () => {
      const result = read('end', answered);
      expect(result.ok && result.dropped).toEqual([]);
    });
  });

  it.each([
    ['00:01:23', 83],
    ['1:23', 83],
    ['01:02:03', 3723],
    ['42.5', 43],
  ])('D1: billsec and duration %j are read as %d seconds', (written, secondsRead) => {
    const result = read('end', { uniqueid: '1', billsec: written, duration: written });
    if (!result.ok) throw new Error(result.errors.join());
    expect(result.event).toMatchObject({ talkSeconds: secondsRead, durationSeconds: secondsRead });
    expect(result.dropped).toEqual([]);
  });

  describe('calldate: read in telephony.timeZone, never in the process zone (issue 13, item 7)', () => {
    const startedAt = (calldate: string, timeZone?: string) => {
      const result = ringostatAdapter.toCallEvent({ moment: 'end', parameters: { uniqueid: '1', calldate }, receivedAt, timeZone });
      if (!result.ok) throw new Error(result.errors.join());
      return result.event.startedAt;
    };

    it('reads Ringostat\'s own format in the configured zone, summer and winter time alike', () => {
      expect(startedAt('2026-11-29 10:00:00', 'Europe/Kyiv')).toBe('2026-11-29T08:00:00.000Z');
      expect(startedAt('2026-07-01 10:00', 'Europe/Kyiv')).toBe('2026-07-01T07:00:00.000Z');
      expect(startedAt('2026-11-29 10:00:00', 'America/New_York')).toBe('2026-11-29T15:00:00.000Z');
    });

    it('across the summer-time change: the repeated hour is its first pass, the skipped one keeps the old offset', () => {
      expect(startedAt('2026-10-25 02:30:00', 'Europe/Kyiv')).toBe('2026-10-24T23:30:00.000Z');
      expect(startedAt('2026-10-25 03:30:00', 'Europe/Kyiv')).toBe('2026-10-25T00:30:00.000Z');
      expect(startedAt('2026-10-25 04:30:00', 'Europe/Kyiv')).toBe('2026-10-25T02:30:00.000Z');
      expect(startedAt('2026-03-29 03:30:00', 'Europe/Kyiv')).toBe('2026-03-29T01:30:00.000Z');
    });

    it('without a configured zone keeps the wall clock, for the workflow to read in the CRM\'s zone', () => {
      expect(startedAt('2026-11-29 10:00:00')).toBe('2026-11-29T10:00:00');
    });

    it('reads ISO times with an offset and Unix timestamps whatever the zone', () => {
      expect(startedAt('2026-11-29T10:00:00+02:00', 'America/New_York')).toBe('2026-11-29T08:00:00.000Z');
      expect(startedAt('2026-11-29T08:00:00Z')).toBe('2026-11-29T08:00:00.000Z');
      expect(startedAt('1795939200', 'Europe/Kyiv')).toBe('2026-11-29T08:00:00.000Z');
      expect(startedAt('1795939200000')).toBe('2026-11-29T08:00:00.000Z');
    });

    it('leaves out what it cannot read, so the call counts from its first webhook', () => {
      expect(startedAt('yesterday', 'Europe/Kyiv')).toBeUndefined();
      expect(startedAt('2026-13-45 10:00:00', 'Europe/Kyiv')).toBeUndefined();
    });
  });
});
