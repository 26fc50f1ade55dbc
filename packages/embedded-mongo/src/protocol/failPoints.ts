// The failCommand fail point (configureFailPoint, a test command of mongod: see the unified test format's
// "Server Fail Points"), so tests can make the store fail chosen commands the way a server fails: an error
// reply with a given code, a connection closed without a reply, a command held for blockTimeMS, or a write
// concern error beside a successful write. mode: "alwaysOn", "off", { times: n } or { skip: n }; data:
// failCommands, errorCode, errorLabels, closeConnection, blockConnection + blockTimeMS, writeConcernError,
// appName (only connections whose handshake named that application), namespace.
import type { Document } from 'bson';
import { CommandError, ErrorCodes, notSupported } from '../commands/errors.js';

export type FailAction =
  | { kind: 'close' }
  /** Hold the command for `ms`, then carry on with `then` (run it, or fail it). */
  | { kind: 'block'; ms: number; then: FailAction | undefined }
  | { kind: 'error'; reply: Document }
  | { kind: 'writeConcernError'; writeConcernError: Document };

interface FailCommand {
  commands: Set<string>;
  data: Document;
  /** Triggers left before it turns itself off; Infinity for alwaysOn. */
  remaining: number;
  /** Matching commands to let through first. */
  skip: number;
}

/** Names of the codes tests inject most (a network-ish or a primary-ish error), as the server names them. */
const CODE_NAMES: Record<number, string> = {
  6: 'HostUnreachable', 7: 'HostNotFound', 50: 'MaxTimeMSExpired', 89: 'NetworkTimeout', 91: 'ShutdownInProgress', 112: 'WriteConflict',
  189: 'PrimarySteppedDown', 262: 'ExceededTimeLimit', 9001: 'SocketException', 10107: 'NotWritablePrimary', 11600: 'InterruptedAtShutdown',
  11602: 'InterruptedDueToReplStateChange', 13435: 'NotPrimaryNoSecondaryOk', 13436: 'NotPrimaryOrSecondary', 64: 'WriteConcernFailed', 100: 'UnsatisfiableWriteConcern',
};

export function codeName(code: number): string {
  const known = Object.entries(ErrorCodes).find(([, value]) => value === code)?.[0];
  return known ?? CODE_NAMES[code] ?? `Location${code}`;
}

function count(value: unknown, field: string): number {
  const number = Number((value as { valueOf(): unknown } | undefined)?.valueOf());
  if (!Number.isInteger(number) || number < 0) throw new CommandError('BadValue', `'${field}' must be a non-negative integer`);
  return number;
}

export class FailPoints {
  private failCommand: FailCommand | undefined;
  private timesEntered = 0;

  /** The configureFailPoint command. */
  configure(command: Document): Document {
    const name = command.configureFailPoint;
    if (name !== 'failCommand') throw notSupported(`the fail point ${String(name)}`);
    const mode = command.mode;
    const reply = { count: this.timesEntered, ok: 1 };
    if (mode === 'off') {
      this.failCommand = undefined;
      return reply;
    }
    let remaining = Infinity;
    let skip = 0;
    if (mode === 'alwaysOn') {
      // on until turned off
    } else if (mode !== null && typeof mode === 'object' && 'times' in mode) {
      remaining = count((mode as Document).times, 'times');
    } else if (mode !== null && typeof mode === 'object' && 'skip' in mode) {
      skip = count((mode as Document).skip, 'skip');
    } else {
      throw new CommandError('BadValue', "'mode' must be one of 'off', 'alwaysOn', 'times', and 'skip'");
    }
    const data = (command.data ?? {}) as Document;
    if (!Array.isArray(data.failCommands)) throw new CommandError('BadValue', "failCommand fail point requires 'failCommands' (an array of command names)");
    if (data.blockConnection === true && data.blockTimeMS === undefined) throw new CommandError('InvalidOptions', "'blockTimeMS' must be set when 'blockConnection' is true");
    this.failCommand = remaining === 0 ? undefined : { commands: new Set(data.failCommands as string[]), data, remaining, skip };
    this.timesEntered = 0;
    return reply;
  }

  /** What to do with a command arriving on a connection whose client named itself `appName`; undefined: run it. */
  check(command: Document, appName: string | undefined): FailAction | undefined {
    const point = this.failCommand;
    const name = Object.keys(command)[0] ?? '';
    if (!point || name === 'configureFailPoint' || !point.commands.has(name)) return undefined;
    const { data } = point;
    if (typeof data.appName === 'string' && data.appName !== appName) return undefined;
    if (typeof data.namespace === 'string' && data.namespace !== `${String(command.$db)}.${String(command[name])}`) return undefined;
    if (point.skip > 0) {
      point.skip -= 1;
      return undefined;
    }
    this.timesEntered += 1;
    point.remaining -= 1;
    if (point.remaining <= 0) this.failCommand = undefined;
    if (data.closeConnection === true) return { kind: 'close' };
    const then = this.outcome(data);
    if (data.blockConnection === true) return { kind: 'block', ms: Number(data.blockTimeMS), then };
    return then;
  }

  private outcome(data: Document): FailAction | undefined {
    if (data.errorCode !== undefined) {
      const code = Number(data.errorCode);
      const reply: Document = { ok: 0, errmsg: "Failing command via 'failCommand' failpoint", code, codeName: codeName(code) };
      if (Array.isArray(data.errorLabels)) reply.errorLabels = data.errorLabels;
      return { kind: 'error', reply };
    }
    if (data.writeConcernError !== undefined) return { kind: 'writeConcernError', writeConcernError: data.writeConcernError as Document };
    return undefined;
  }
}
