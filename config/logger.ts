/**
 * Logs (pino) with secrets redacted wherever they might appear: readable lines in a terminal, JSON lines
 * otherwise (for log collectors). LOG_FORMAT overrides the guess.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

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

export type LogFormat = 'pretty' | 'json';

/** LOG_FORMAT when set; else readable when stdout is a terminal, JSON lines when it is a pipe or a file. */
export function logFormat(configured: LogFormat | undefined, stream: { isTTY?: boolean } = process.stdout): LogFormat {
  return configured ?? (stream.isTTY ? 'pretty' : 'json');
}

export function createLogger(level: string, format: LogFormat = logFormat(undefined), name = 'callmatrix'): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  if (format === 'json') return pino(options);
  // Synchronous, so the last lines before a crash or exit are not lost.
  return pino(options, pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,name' }));
}
