/**
 * Bounded events (#11 item 4): a call event carries only the parameters callmatrix reads — the adapter's own, and
 * those the settings name (D3 mappings, D4 pipeline rules, `telephony.parameterNames`) — not the whole request, so
 * a webhook padded with data nobody uses costs the call's history nothing. A parameter the settings start naming
 * later is kept for calls whose webhooks arrive after the change.
 *
 * What is left must fit MAX_CALL_EVENT_BYTES (JSON), or the shim refuses the event with 413 and says why.
 */
import type { CallEvent } from '../common/call-event';
import type { Settings } from '../matrix/settings-schema';

/** At most this many bytes (JSON, UTF-8) per call event once trimmed: far above any real call's, far below Temporal's 2 MB per payload. */
export const MAX_CALL_EVENT_BYTES = 64 * 1024;

/** The parameters of `parameters` that the adapter (`ownNames`) or the settings name. */
export function keepUsedParameters(parameters: Record<string, string>, ownNames: readonly string[], settings: Settings): Record<string, string> {
  const used = new Set([
    ...ownNames,
    ...Object.values(settings.mappings).flatMap((mapping) => Object.keys(mapping)),
    ...settings.pipelines.rules.map((rule) => rule.parameter),
    ...Object.keys(settings.telephony.parameterNames),
  ]);
  return Object.fromEntries(Object.entries(parameters).filter(([name]) => used.has(name)));
}

/** Why the event is too large to accept (naming its largest parameters), or undefined when it fits. */
export function oversizeReason(event: CallEvent): string | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes <= MAX_CALL_EVENT_BYTES) return undefined;
  const largest = Object.entries(event.parameters)
    .map(([name, value]) => ({ name, bytes: Buffer.byteLength(value) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .map((p) => `${p.name} (${p.bytes} bytes)`);
  return `event: ${bytes} bytes once trimmed to the parameters callmatrix uses, at most ${MAX_CALL_EVENT_BYTES}; largest: ${largest.join(', ')}`;
}
