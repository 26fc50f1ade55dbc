// Why the service could not start, in one sentence an operator can act on: the setting to change or the other
// process to stop. A stack trace says where in our code the failure surfaced, which is not the question at
// start-up; the cause's name and code are kept as fields for searching logs.
import type { Config } from './config.js';
import { redactUri } from './db/connect.js';

export interface StartupFailure {
  message: string;
  cause: { name: string; code?: string; message: string };
}

interface SystemError {
  name?: string;
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
  path?: string;
  message?: string;
}

// The embedded store reports its data folder lock this way (src/db/embedded/storage/lock.ts).
const FOLDER_IN_USE = /data folder .* is in use by process (\d+)/;

function describe(error: SystemError, config: Config): string {
  const where = `${error.address ?? config.HOST}:${error.port ?? config.PORT}`;
  if (error.syscall === 'listen') {
    if (error.code === 'EADDRINUSE') return `port ${error.port ?? config.PORT} is already in use on ${error.address ?? config.HOST}: stop the other process or set PORT`;
    if (error.code === 'EACCES') return `not allowed to listen on ${where} (ports below 1024 need privileges): set PORT`;
    if (error.code === 'EADDRNOTAVAIL') return `HOST ${config.HOST} is not an address of this machine: set HOST`;
  }
  const inUse = FOLDER_IN_USE.exec(error.message ?? '');
  if (inUse) return `DATA_DIR ${config.dataDir} is in use by another charsheet process (pid ${inUse[1]}): one process per DATA_DIR; give this one its own, or share a MONGODB_URI`;
  if (error.name === 'MongooseServerSelectionError' || error.name === 'MongoServerSelectionError') {
    return `could not reach MongoDB at ${redactUri(config.MONGODB_URI ?? '')}: ${error.message ?? 'no server answered'}`;
  }
  if ((error.code === 'EACCES' || error.code === 'EROFS' || error.code === 'EPERM') && error.path) return `cannot write to ${error.path} (${error.code}): check DATA_DIR`;
  return error.message ?? String(error);
}

export function startupFailureOf(error: unknown, config: Config): StartupFailure {
  const system = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as SystemError;
  return {
    message: `charsheet could not start: ${describe(system, config)}`,
    cause: { name: system.name ?? 'Error', ...(system.code ? { code: system.code } : {}), message: system.message ?? String(error) },
  };
}
