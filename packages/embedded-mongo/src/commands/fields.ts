// The fields each command accepts, as MongoDB 7.0's IDL declares them (src/mongo/db/query/find_command.idl,
// src/mongo/db/ops/write_ops.idl, aggregate_command.idl, ...): an unknown field is error 40415, as on the
// server, instead of an option silently ignored (a `sort` on an update statement is 8.0's; 7.0 refuses it).
import type { Document } from 'bson';
import { unknownField } from './errors.js';

/** Arguments every command may carry (src/mongo/idl/generic_argument.idl). */
const GENERIC = [
  '$db', 'lsid', 'txnNumber', 'autocommit', 'startTransaction', 'stmtId', 'comment', 'maxTimeMS', 'readConcern', 'writeConcern',
  '$readPreference', '$clusterTime', '$audit', '$client', '$configServerState', '$queryOptions', 'apiVersion', 'apiStrict',
  'apiDeprecationErrors', 'mayBypassWriteBlocking', 'allowImplicitCollectionCreation', '$oplogQueryData', '$replData', '$gleStats',
  '$configTime', '$topologyTime', 'databaseVersion', 'shardVersion', 'tracking_info', 'coordinator', 'help', 'usesDefaultMaxTimeMS',
  'clientOperationKey', 'maxTimeMSOpOnly', '$_isSelfCommand',
];

const COMMANDS: Record<string, string[]> = {
  find: [
    'filter', 'projection', 'sort', 'hint', 'collation', 'skip', 'limit', 'batchSize', 'ntoreturn', 'singleBatch', 'allowDiskUse', 'min', 'max',
    'returnKey', 'showRecordId', 'tailable', 'oplogReplay', 'noCursorTimeout', 'awaitData', 'allowPartialResults', 'let', 'options', 'term',
    'readOnce', 'allowSpeculativeMajorityRead', '$_requestResumeToken', '$_resumeAfter', 'runtimeConstants', 'collectionUUID',
    'encryptionInformation', 'includeQueryStatsMetrics', '$_startAt',
  ],
  insert: ['documents', 'bypassDocumentValidation', 'ordered', 'stmtIds', 'collectionUUID', 'encryptionInformation', 'isTimeseriesNamespace'],
  update: ['updates', 'bypassDocumentValidation', 'ordered', 'stmtIds', 'let', 'runtimeConstants', 'collectionUUID', 'encryptionInformation', 'isTimeseriesNamespace'],
  delete: ['deletes', 'bypassDocumentValidation', 'ordered', 'stmtIds', 'let', 'runtimeConstants', 'collectionUUID', 'encryptionInformation', 'isTimeseriesNamespace'],
  findAndModify: [
    'query', 'fields', 'sort', 'hint', 'collation', 'arrayFilters', 'remove', 'update', 'new', 'upsert', 'bypassDocumentValidation', 'let',
    'runtimeConstants', 'encryptionInformation', 'isTimeseriesNamespace', 'collectionUUID',
  ],
  aggregate: [
    'pipeline', 'explain', 'allowDiskUse', 'cursor', 'bypassDocumentValidation', 'collation', 'hint', 'let', 'needsMerge', 'fromMongos',
    'fromRouter', '$_requestReshardingResumeToken', 'isMapReduceCommand', 'collectionUUID', 'exchange', 'runtimeConstants',
    'encryptionInformation', '$_isClusterQueryWithoutShardKeyCmd', 'passthroughToShard', 'includeQueryStatsMetrics', '$_generateV2ResumeTokens',
    'isHybridSearch',
  ],
  count: ['query', 'limit', 'skip', 'hint', 'collation', 'fields', 'encryptionInformation', 'mirrored', 'sampleId', 'collectionUUID'],
  distinct: ['key', 'query', 'collation', 'mirrored', 'sampleId', 'hint'],
};

const STATEMENTS: Record<string, { field: string; known: string[] }> = {
  update: { field: 'updates', known: ['q', 'u', 'c', 'arrayFilters', 'hint', 'multi', 'upsert', 'upsertSupplied', 'collation', 'sampleId', '$_allowShardKeyUpdatesWithoutFullShardKeyInQuery'] },
  delete: { field: 'deletes', known: ['q', 'limit', 'hint', 'collation', 'sampleId'] },
};

const known = new Map(Object.entries(COMMANDS).map(([name, fields]) => [name, new Set([name, ...fields, ...GENERIC])]));
const statementFields = new Map(Object.entries(STATEMENTS).map(([name, { field, known: fields }]) => [name, { field, known: new Set(fields) }]));

/** Throws 40415 for the first field of `command` (or of one of its statements) that `name` does not accept. */
export function checkFields(name: string, command: Document): void {
  const accepted = known.get(name);
  if (!accepted) return;
  for (const field of Object.keys(command)) if (!accepted.has(field)) throw unknownField(`${name}.${field}`);
  const statements = statementFields.get(name);
  if (!statements || !Array.isArray(command[statements.field])) return;
  for (const statement of command[statements.field] as Document[]) {
    if (statement === null || typeof statement !== 'object') continue;
    for (const field of Object.keys(statement)) if (!statements.known.has(field)) throw unknownField(`${name}.${statements.field}.${field}`);
  }
}
