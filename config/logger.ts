/** Structured JSON logs (pino) with secrets redacted wherever they might appear. */
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'secret',
  '*.secret',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
  'refreshToken',
  '*.refreshToken',
  'client_secret',
  '*.client_secret',
  'clientSecret',
  '*.clientSecret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'req.query.secret',
  'apiKey',
  '*.apiKey',
];

export function createLogger(level: string, name = 'callmatrix'): Logger {
  return pino({ name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
