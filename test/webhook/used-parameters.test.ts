/** Bounded events (#11 item 4): which parameters a call event keeps, and when it is too large to accept. */
import { ringostatAdapter } from '../../telephony/ringostat';
import { keepUsedParameters, MAX_CALL_EVENT_BYTES, oversizeReason } from '../../telephony/used-parameters';
import { settings } from '../matrix/fixtures';

const receivedAt = new Date('2026-11-25T10:00:00Z');

describe('a call event keeps the parameters callmatrix uses', () => {
  it("keeps the adapter's own and those named in mappings (D3), pipeline rules (D4) and parameterNames; drops the rest", () => {
    const configured = settings({
      telephony: { parameterNames: { pool_name: 'project_pool', region: 'geo' } },
      mappings: { Deals: { ad_group: 'rs_pool_name' } },
      pipelines: { rules: [{ parameter: 'form_name', equals: 'Wholesale', pipeline: 'Wholesale' }] },
    });
    const kept = keepUsedParameters(
      { uniqueid: '1', caller: '+380671234567', utm_source: 'google', pool_name: 'Partners', region: 'Kyiv', ad_group: 'sofas', form_name: 'Wholesale', debug_dump: 'x'.repeat(1000), project_pool: 'left under the sender name' },
      ringostatAdapter.parameters,
      configured,
    );
    expect(kept).toEqual({ uniqueid: '1', caller: '+380671234567', utm_source: 'google', pool_name: 'Partners', region: 'Kyiv', ad_group: 'sofas', form_name: 'Wholesale' });
  });

  it(`an event over ${MAX_CALL_EVENT_BYTES} bytes is refused with its size and largest parameters; one under it is accepted`, () => {
    const event = (landing: string) => {
      const result = ringostatAdapter.toCallEvent({ moment: 'end', parameters: { uniqueid: '1', landing, utm_source: 'google' }, receivedAt });
      if (!result.ok) throw new Error(result.errors.join());
      return result.event;
    };
    expect(oversizeReason(event(`https://shop.example.com/${'a'.repeat(1000)}`))).toBeUndefined();
    expect(oversizeReason(event(`https://shop.example.com/${'a'.repeat(40_000)}`))).toMatch(
      new RegExp(`^event: \\d+ bytes once trimmed to the parameters callmatrix uses, at most ${MAX_CALL_EVENT_BYTES}; largest: landing \\(40025 bytes\\), utm_source \\(6 bytes\\)`),
    );
  });
});
