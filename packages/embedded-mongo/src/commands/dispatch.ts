// One place that maps a command document to its handler and turns every failure into the server's error
// reply. Unknown commands get code 59 CommandNotFound like a real mongod, so missing features fail loudly.
import type { Document } from 'bson';
import type { StoreLogger } from '../log.js';
import { aggregateCommands } from './aggregate.js';
import type { EncodedReply } from '../protocol/cursorReply.js';
import type { CommandContext, CommandHandler } from './context.js';
import { crudCommands } from './crud.js';
import { CommandError, transactionsUnsupported } from './errors.js';
import { handshakeCommands } from './handshake.js';
import { indexCommands } from './indexes.js';
import { modifyCommands } from './modify.js';
import { namespaceCommands } from './namespaces.js';

const testCommands: Record<string, CommandHandler> = {
  configureFailPoint: (command, context) => {
    if (context.databaseName !== 'admin') throw new CommandError('Unauthorized', 'configureFailPoint may only be run against the admin database.', {}, 13);
    return context.failPoints.configure(command);
  },
  endSessions: (command, context) => {
    context.sessions.end(Array.isArray(command.endSessions) ? command.endSessions : []);
    return { ok: 1 };
  },
};

const handlers = new Map<string, CommandHandler>(
  Object.entries({ ...handshakeCommands, ...crudCommands, ...modifyCommands, ...indexCommands, ...namespaceCommands, ...aggregateCommands, ...testCommands }),
);

export function runCommand(command: Document, context: Omit<CommandContext, 'databaseName'>, logger: StoreLogger | undefined): Document | EncodedReply {
  const name = Object.keys(command)[0] ?? '';
  try {
    const handler = handlers.get(name);
    if (!handler) throw new CommandError('CommandNotFound', `no such command: '${name}'`);
    // A transaction (startTransaction / autocommit: false) always carries txnNumber; a standalone refuses it.
    if (command.txnNumber !== undefined || command.startTransaction === true || command.autocommit === false) throw transactionsUnsupported();
    if (command.lsid !== undefined && name !== 'endSessions') context.sessions.touch(command.lsid);
    const databaseName = typeof command.$db === 'string' ? command.$db : 'admin';
    // The journal records a command buffers are written by the connection's commit group, before any reply.
    return handler(command, { ...context, databaseName });
  } catch (error) {
    if (error instanceof CommandError) return error.toReply();
    logger?.error({ err: error, command: name }, 'embedded store command failed');
    return new CommandError('InternalError', (error as Error).message ?? String(error)).toReply();
  }
}
