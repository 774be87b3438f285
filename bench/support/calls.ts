/** Ringostat webhook bodies (its own parameter names) for the scenarios the benches drive. */
import crypto from 'node:crypto';

let sequence = 0;
const run = crypto.randomBytes(4).toString('hex');
const phoneBase = crypto.randomInt(4_000_000);

/** A call id and a caller number (Kyivstar mobile, E.164) no earlier call of this run used. */
export function freshCall(): { callId: string; phone: string } {
  sequence += 1;
  return { callId: `bench-${run}-${sequence}`, phone: `+38067${1_000_000 + phoneBase + sequence}` };
}

const visit = {
  utm_source: 'google',
  utm_medium: 'cpc',
  utm_campaign: 'spring',
  client_id: 'GA1.2.345',
  landing: 'https://shop.example.com/sofas',
  pool_name: 'Contextual ads',
};

/** An incoming call answered on `employee` (SIP login or extension). */
export function answered(callId: string, caller: string, employee = 'ivan'): Record<string, string> {
  return {
    uniqueid: callId,
    calldate: new Date().toISOString(),
    call_type: 'in',
    caller,
    dst: '+380442000000',
    disposition: 'ANSWERED',
    billsec: '42',
    duration: '50',
    connected_with: employee,
    recording: `https://records.example.com/${callId}.mp3`,
    ...visit,
  };
}

export function missed(callId: string, caller: string): Record<string, string> {
  return { uniqueid: callId, calldate: new Date().toISOString(), call_type: 'in', caller, dst: '+380442000000', disposition: 'NO ANSWER', billsec: '0', duration: '20', ...visit };
}

/** An outgoing call placed by `employee` to `callee`. */
export function outgoing(callId: string, callee: string, employee = '101'): Record<string, string> {
  return {
    uniqueid: callId,
    calldate: new Date().toISOString(),
    call_type: 'out',
    caller: employee,
    dst: callee,
    disposition: 'ANSWERED',
    billsec: '30',
    duration: '40',
    recording: `https://records.example.com/${callId}.mp3`,
  };
}

export function internal(callId: string): Record<string, string> {
  return { uniqueid: callId, calldate: new Date().toISOString(), call_type: 'internal', caller: '101', dst: '102', disposition: 'ANSWERED', billsec: '15', duration: '20' };
}
