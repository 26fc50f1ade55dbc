// Handshake and server-information commands. The hello reply makes the driver treat us as a standalone
// server (no setName, no msg: 'isdbgrid'), with sessions (logicalSessionTimeoutMinutes) but — because the
// topology is Single — no retryable writes, so the driver never attaches txnNumber outside transactions.
// topologyVersion is omitted on purpose: with it the driver would switch its monitor to streaming (exhaust)
// hellos; without it the monitor polls hello every heartbeatFrequencyMS (10 s) on its own connection.
import type { Document } from 'bson';
import type { CommandContext, CommandHandler } from './context.js';
import { CommandError, transactionsUnsupported } from './errors.js';

/** MongoDB 7.0's wire version; the mongodb 7.x driver accepts 8 (4.2) through 27. */
export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

const startedAt = new Date();

function hello(legacyName: boolean): CommandHandler {
  return (_command: Document, context: CommandContext) => ({
    helloOk: true,
    [legacyName ? 'ismaster' : 'isWritablePrimary']: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: context.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ok: 1,
  });
}

const KNOWN_PARAMETERS: Document = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  requireApiVersion: false,
  transactionLifetimeLimitSeconds: 60,
};

export const handshakeCommands: Record<string, CommandHandler> = {
  hello: hello(false),
  isMaster: hello(true),
  ismaster: hello(true),
  ping: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: SERVER_VERSION,
    gitVersion: 'charsheet-embedded',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: 16 * 1024 * 1024,
    storageEngines: ['charsheet-journal'],
    ok: 1,
  }),
  getParameter: (command) => {
    const reply: Document = {};
    const wanted = command.getParameter === '*' ? Object.keys(KNOWN_PARAMETERS) : Object.keys(command).filter((k) => k !== 'getParameter' && !k.startsWith('$') && k !== 'lsid');
    for (const name of wanted) if (name in KNOWN_PARAMETERS) reply[name] = KNOWN_PARAMETERS[name];
    if (Object.keys(reply).length === 0) throw new CommandError('InvalidOptions', 'no option found to get', {}, 72);
    return { ...reply, ok: 1 };
  },
  killSessions: () => ({ ok: 1 }),
  whatsmyuri: (_command, context) => ({ you: `127.0.0.1:${context.connectionId}`, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  hostInfo: () => ({ system: { currentTime: new Date(), hostname: '127.0.0.1' }, ok: 1 }),
  serverStatus: () => ({ host: '127.0.0.1', version: SERVER_VERSION, process: 'charsheet-embedded', uptime: (Date.now() - startedAt.getTime()) / 1000, localTime: new Date(), ok: 1 }),
  commitTransaction: () => {
    throw transactionsUnsupported();
  },
  abortTransaction: () => {
    throw transactionsUnsupported();
  },
};
