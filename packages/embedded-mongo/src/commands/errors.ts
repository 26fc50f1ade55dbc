// Errors in the shape a real mongod puts in a reply: { ok: 0, errmsg, code, codeName }. The driver turns
// such replies into MongoServerError, and mongoose branches on `code` (11000 for duplicates), so codes and
// names follow src/mongo/base/error_codes.yml of the server.
import type { Document } from 'bson';

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  EmptyFieldName: 56,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CommandNotSupported: 115,
  DocumentValidationFailure: 121,
  CommandNotSupportedOnView: 166,
  OptionNotSupportedOnView: 167,
  OperationNotSupportedInTransaction: 263,
  NotImplemented: 238,
  DuplicateKey: 11000,
  ChangeStreamNotSupported: 40573,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly code: number;
  constructor(
    readonly codeName: ErrorCodeName | string,
    message: string,
    /** Extra fields the real server adds beside errmsg (keyPattern/keyValue for duplicates). */
    readonly extra: Document = {},
    code?: number,
  ) {
    super(message);
    this.code = code ?? ErrorCodes[codeName as ErrorCodeName] ?? ErrorCodes.InternalError;
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }

  /** The entry of a write command's writeErrors array. */
  toWriteError(index: number): Document {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

/** What the store does not implement: refused loudly (code 238), never answered wrongly. */
export function notSupported(what: string): CommandError {
  return new CommandError('NotImplemented', `${what} is not supported by the embedded store`);
}

/** The wire-level name check the server's IDL parsers make: an unknown command field is an error. */
export function unknownField(path: string): CommandError {
  return new CommandError('Location40415', `BSON field '${path}' is an unknown field.`, {}, 40415);
}

/** A standalone mongod's change-stream error ($changeStream is replica-set only); codeName as the server names it. */
export function changeStreamsUnsupported(): CommandError {
  return new CommandError('Location40573', 'The $changeStream stage is only supported on replica sets', {}, ErrorCodes.ChangeStreamNotSupported);
}

/** A standalone mongod refuses any command carrying a transaction number (transactions and retryable writes). */
export function transactionsUnsupported(): CommandError {
  return new CommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
}
