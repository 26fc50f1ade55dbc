// Reading unified-format test files (MongoDB's specifications, source/unified-test-format) and deciding which
// of their tests apply to the server under test, from the file's and the test's runOnRequirements.
import fs from 'node:fs';
import path from 'node:path';
import { Double, EJSON, Int32, type Document } from 'bson';

export interface UnifiedFile {
  file: string;
  description: string;
  schemaVersion: string;
  runOnRequirements?: Requirement[];
  createEntities?: Document[];
  initialData?: CollectionData[];
  tests: UnifiedTest[];
}

export interface UnifiedTest {
  description: string;
  runOnRequirements?: Requirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: Array<{ client: string; eventType?: string; events: Document[]; ignoreExtraEvents?: boolean }>;
  outcome?: CollectionData[];
}

export interface Operation {
  name: string;
  object: string;
  arguments?: Document;
  expectResult?: unknown;
  expectError?: Document;
  ignoreResultAndError?: boolean;
  saveResultAsEntity?: string;
}

export interface CollectionData {
  collectionName: string;
  databaseName: string;
  createOptions?: Document;
  documents: Document[];
}

export interface Requirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  auth?: boolean;
  csfle?: unknown;
  serverParameters?: Document;
}

export interface ServerUnderTest {
  version: number[];
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
  parameters: Document;
}

/** The schema versions this runner implements (the CRUD files use 1.0 through 1.x). */
const SUPPORTED_SCHEMA_MAJOR = 1;

export function loadFiles(directory: string): UnifiedFile[] {
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({ file: name, ...(plainNumbers(EJSON.parse(fs.readFileSync(path.join(directory, name), 'utf8'), { relaxed: false })) as Omit<UnifiedFile, 'file'>) }));
}

/**
 * Canonical EJSON keeps every number's BSON type; the driver wants plain numbers where the type does not
 * matter. Int32 and fractional doubles become numbers (they encode back to the same type); Long and integral
 * Double values stay wrapped, so a test that sends an int64 or 1.0 sends exactly that.
 */
function plainNumbers(value: unknown): unknown {
  if (value instanceof Int32) return value.value;
  if (value instanceof Double) return Number.isInteger(value.value) ? value : value.value;
  if (Array.isArray(value)) return value.map(plainNumbers);
  if (value !== null && typeof value === 'object' && (value.constructor === Object || value.constructor === undefined)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plainNumbers(inner)]));
  }
  return value;
}

export function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function parseVersion(version: string): number[] {
  return version.split('.').map(Number);
}

/** Why `requirements` exclude the server, or undefined when one of them is met (or there are none). */
export function unmetRequirements(requirements: Requirement[] | undefined, server: ServerUnderTest): string | undefined {
  if (!requirements || requirements.length === 0) return undefined;
  const reasons = requirements.map((requirement) => unmet(requirement, server));
  return reasons.every((reason) => reason !== undefined) ? reasons.join('; or ') : undefined;
}

function unmet(requirement: Requirement, server: ServerUnderTest): string | undefined {
  if (requirement.minServerVersion && compareVersions(server.version, parseVersion(requirement.minServerVersion)) < 0) return `needs server ≥ ${requirement.minServerVersion}`;
  if (requirement.maxServerVersion && compareVersions(server.version, parseVersion(requirement.maxServerVersion)) > 0) return `needs server ≤ ${requirement.maxServerVersion}`;
  if (requirement.topologies && !requirement.topologies.some((topology) => topology === server.topology || (topology === 'sharded-replicaset' && server.topology === 'sharded'))) return `needs topology ${requirement.topologies.join('/')}`;
  if (requirement.serverless === 'require') return 'needs Atlas Serverless';
  if (requirement.auth === true) return 'needs authentication';
  if (requirement.csfle !== undefined && requirement.csfle !== false) return 'needs client-side field level encryption';
  for (const [name, expected] of Object.entries(requirement.serverParameters ?? {})) {
    if (!(name in server.parameters) || String(server.parameters[name]) !== String(expected)) return `needs server parameter ${name}=${String(expected)}`;
  }
  return undefined;
}

export function schemaSupported(file: UnifiedFile): boolean {
  return Number(file.schemaVersion.split('.')[0]) === SUPPORTED_SCHEMA_MAJOR;
}
