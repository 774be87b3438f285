/**
 * Issue 14 (routing): whoever has the webhook secret cannot drain the org's Zoho credits through smart routing.
 * Each source gets CALLMATRIX_ROUTING_LOOKUPS_PER_MINUTE requests a minute, then "continue" without asking Zoho;
 * and a burst for one unknown number costs one lookup, its "not found" being kept for routing.cacheTtlSeconds.
 */
import { startRoutingHarness, type RoutingHarness } from '../routing/support';

describe('smart routing limits', () => {
  const harnesses: RoutingHarness[] = [];
  afterAll(async () => {
    for (const harness of harnesses) await harness.close();
  });

  it('answers "continue" without asking Zoho once a source has used its lookups of the minute', async () => {
    const harness = await startRoutingHarness({ lookupsPerMinute: 5 });
    harnesses.push(harness);
    for (let i = 0; i < 5; i += 1) expect((await harness.ask(harness.uniquePhone())).decision).toBe('continue:not-found');
    const spent = await harness.settledCrmRequests();
    for (let i = 0; i < 20; i += 1) {
      expect(await harness.ask(harness.uniquePhone())).toMatchObject({ status: 200, body: { destination: '' }, decision: 'continue:rate-limited' });
    }
    expect(await harness.settledCrmRequests()).toBe(spent);
  });

  it('keeps a "not found" for the cache TTL: a burst for one unknown number costs one lookup', async () => {
    const harness = await startRoutingHarness({ lookupsPerMinute: 100 });
    harnesses.push(harness);
    const unknown = harness.uniquePhone();
    expect((await harness.ask(unknown)).decision).toBe('continue:not-found');
    const looked = await harness.settledCrmRequests();
    const answers = await Promise.all(Array.from({ length: 20 }, () => harness.ask(unknown)));
    for (const answer of answers) expect(answer.decision).toBe('continue:not-found');
    expect(await harness.settledCrmRequests()).toBe(looked);
  });
});
