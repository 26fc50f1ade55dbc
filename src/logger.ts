// Structured JSON logs (pino). One root logger; modules take a child with their own `component` field.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    // Secrets must never reach logs even if an error object carries them.
    redact: { paths: ['*.apiKey', '*.api_key', '*.authorization', '*.headers.authorization', '*.secret', '*.password'], censor: '[redacted]' },
  });
}
