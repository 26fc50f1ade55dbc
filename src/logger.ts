// Structured logs (pino). One root logger; modules take a child with their own `component` field. JSON lines
// by default (what log collectors read); `pretty` is for a human at a terminal in development.
import { pino, type Logger, type LoggerOptions } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export type LogFormat = 'json' | 'pretty';

export interface LoggerSettings {
  LOG_LEVEL: string;
  LOG_FORMAT?: LogFormat;
}

export function createLogger(settings: LoggerSettings): Logger {
  const options: LoggerOptions = {
    level: settings.LOG_LEVEL,
    // Secrets must never reach logs even if an error object carries them.
    redact: { paths: ['*.apiKey', '*.api_key', '*.authorization', '*.headers.authorization', '*.secret', '*.password'], censor: '[redacted]' },
  };
  if (settings.LOG_FORMAT !== 'pretty') return pino(options);
  // In this thread and synchronous, not a transport's worker: a fatal line written just before process.exit
  // must still be printed.
  return pino(options, pretty({ sync: true, colorize: process.stdout.isTTY === true, ignore: 'pid,hostname' }));
}
