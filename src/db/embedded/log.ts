// The store logs through this narrow interface so it can run on a worker thread, where a pino logger cannot
// be passed: the worker forwards entries to the parent's logger (see thread.ts).
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export type StoreLogger = Record<LogLevel, (fields: object, message: string) => void>;
