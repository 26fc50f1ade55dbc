// The store logs through this narrow interface so it can run on a worker thread, where a pino logger cannot
// be passed: the worker forwards entries to the parent's logger (see thread.ts).
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export type StoreLogger = Record<LogLevel, (fields: object, message: string) => void>;

/** What the store needs of the host's logger (a pino logger fits): a level, and a child for its own lines. */
export interface HostLogger {
  level: string;
  child(bindings: { component: string }): StoreLogger;
}
