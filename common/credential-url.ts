/**
 * Servers callmatrix sends a credential to (Zoho's accounts server override with a refresh token, Ringostat's API
 * with its key) must be reached over https: plain http would hand the credential to anyone on the path. The
 * emulators the tests and the demo run are the exception, on this machine's loopback only.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Why `url` may not be given a credential, or undefined when it may: https, or plain http on loopback, with no credentials of its own. */
export function credentialUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be a URL';
  }
  if (parsed.username || parsed.password) return 'must not carry credentials';
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return 'must be https (plain http only on 127.0.0.1, localhost or [::1])';
}
