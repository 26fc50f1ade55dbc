// Spec tests the Node.js driver itself does not follow, whatever the server: they assert what the driver
// sends, and this driver (mongodb 7.2) deliberately sends something else. They would fail against a real
// mongod too, so they say nothing about the store; each names the driver code that decides it.
const BYPASS_ONLY_WHEN_TRUE = 'the Node.js driver sends bypassDocumentValidation only when it is true';

const NULL_ID = 'the Node.js driver replaces an _id of null with a new ObjectId before sending (lib/utils.js, maybeAddIdToDocuments: `document._id == null`)';

const DEVIATIONS: Record<string, Record<string, string>> = {
  'create-null-ids.json': {
    'inserting _id with type null via insertOne': NULL_ID,
    'inserting _id with type null via insertMany': NULL_ID,
    'inserting _id with type null via bulkWrite': NULL_ID,
  },
  'bypassDocumentValidation.json': {
    'Aggregate with $out passes bypassDocumentValidation: false': `${BYPASS_ONLY_WHEN_TRUE} (lib/operations/aggregate.js)`,
    'BulkWrite passes bypassDocumentValidation: false': `${BYPASS_ONLY_WHEN_TRUE} (lib/bulk/common.js)`,
    'FindOneAndReplace passes bypassDocumentValidation: false': `${BYPASS_ONLY_WHEN_TRUE} (lib/operations/find_and_modify.js)`,
    'FindOneAndUpdate passes bypassDocumentValidation: false': `${BYPASS_ONLY_WHEN_TRUE} (lib/operations/find_and_modify.js)`,
    'InsertMany passes bypassDocumentValidation: false': `${BYPASS_ONLY_WHEN_TRUE} (insertMany is a bulk write: lib/bulk/common.js)`,
  },
};

export function driverDeviation(file: string, test: string): string | undefined {
  return DEVIATIONS[file]?.[test];
}
