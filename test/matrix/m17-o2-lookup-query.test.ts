import { callerLookupQuery } from '../../matrix/lookup-query';
import { CLIENT, call, settings } from './fixtures';

describe('callerLookupQuery: what the workflow asks Zoho about the caller', () => {
  it('M17: a client call is looked up by its E.164 number in the default country, without O2 tasks (C3: with the open tasks of its window)', () => {
    expect(callerLookupQuery(call(), settings())).toEqual({ clientPhone: CLIENT, defaultCountry: 'UA', tasksOfRecordsSince: undefined, openTasksSince: '2025-01-12T12:05:00.000Z' });
  });

  it('O2: update-existing mode also asks for the tasks of records made from 5 minutes before the call started', () => {
    const query = callerLookupQuery(call({ startedAt: '2025-01-15T10:00:00.000Z' }), settings({ matrix: { mode: 'update-existing' } }));
    expect(query?.tasksOfRecordsSince).toBe('2025-01-15T09:55:00.000Z');
  });

  it('M15, M17: an internal call or a call without a readable number costs no lookup', () => {
    expect(callerLookupQuery(call({ direction: 'internal' }), settings())).toBeUndefined();
    expect(callerLookupQuery(call({ clientPhone: null, clientNumberRaw: 'anonymous' }), settings())).toBeUndefined();
  });
});
