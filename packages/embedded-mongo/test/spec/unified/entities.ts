// The entity map of one unified test: clients (each recording the command events it was asked to observe),
// databases, collections and sessions, made from the file's createEntities.
import type { Document } from 'bson';
import { MongoClient, type ClientSession, type Collection, type CommandFailedEvent, type CommandStartedEvent, type CommandSucceededEvent, type Db, type MongoClientOptions } from 'mongodb';

export interface ObservedEvent {
  kind: 'commandStartedEvent' | 'commandSucceededEvent' | 'commandFailedEvent';
  commandName: string;
  databaseName: string;
  command?: Document;
  reply?: Document;
}

export interface ClientEntity {
  client: MongoClient;
  events: ObservedEvent[];
}

/** Commands the format says never to report (they carry credentials), plus the runner's own fail points. */
const NEVER_OBSERVED = new Set(['hello', 'ismaster', 'isMaster', 'saslStart', 'saslContinue', 'getnonce', 'authenticate', 'createUser', 'updateUser', 'copydbgetnonce', 'copydbsaslstart', 'copydb', 'configureFailPoint']);

export class Entities {
  private readonly map = new Map<string, unknown>();

  constructor(private readonly uri: string) {}

  async create(entities: Document[]): Promise<void> {
    for (const entity of entities) {
      const [type, spec] = Object.entries(entity)[0] as [string, Document];
      this.set(spec.id as string, await this.make(type, spec));
    }
  }

  get(name: string): unknown {
    if (!this.map.has(name)) throw new Error(`no entity named ${name}`);
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  set(name: string, value: unknown): void {
    if (this.map.has(name)) throw new Error(`entity ${name} already exists`);
    this.map.set(name, value);
  }

  client(name: string): ClientEntity {
    const entity = this.get(name) as ClientEntity;
    if (!(entity?.client instanceof MongoClient)) throw new Error(`${name} is not a client`);
    return entity;
  }

  async close(): Promise<void> {
    for (const value of this.map.values()) {
      if (isSession(value)) await value.endSession().catch(() => undefined);
    }
    for (const value of this.map.values()) {
      if ((value as ClientEntity).client instanceof MongoClient) await (value as ClientEntity).client.close();
    }
    this.map.clear();
  }

  private async make(type: string, spec: Document): Promise<unknown> {
    switch (type) {
      case 'client':
        return this.makeClient(spec);
      case 'database':
        return this.client(spec.client as string).client.db(spec.databaseName as string, spec.databaseOptions as Document | undefined);
      case 'collection':
        return (this.get(spec.database as string) as Db).collection(spec.collectionName as string, spec.collectionOptions as Document | undefined);
      case 'session':
        return this.client(spec.client as string).client.startSession(spec.sessionOptions as Document | undefined);
      default:
        throw new Error(`the runner does not create ${type} entities`);
    }
  }

  private async makeClient(spec: Document): Promise<ClientEntity> {
    const uriOptions = { ...(spec.uriOptions as Document | undefined) };
    const options: MongoClientOptions = { monitorCommands: true, serverSelectionTimeoutMS: 10_000 };
    // Fail points may close connections: find the server again quickly instead of after 10 s.
    if (uriOptions.heartbeatFrequencyMS === undefined) options.heartbeatFrequencyMS = 500;
    if (uriOptions.appname !== undefined) options.appName = uriOptions.appname as string;
    delete uriOptions.appname;
    if (uriOptions.readConcernLevel !== undefined) options.readConcern = { level: uriOptions.readConcernLevel as 'local' };
    delete uriOptions.readConcernLevel;
    const client = new MongoClient(this.uri, { ...options, ...uriOptions } as MongoClientOptions);
    const events: ObservedEvent[] = [];
    const observed = new Set((spec.observeEvents as string[] | undefined) ?? []);
    const ignored = new Set((spec.ignoreCommandMonitoringEvents as string[] | undefined) ?? []);
    const record = (kind: ObservedEvent['kind'], event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent) => {
      if (!observed.has(kind) || NEVER_OBSERVED.has(event.commandName) || ignored.has(event.commandName)) return;
      events.push({
        kind,
        commandName: event.commandName,
        databaseName: event.databaseName,
        command: 'command' in event ? (plain(event.command) as Document) : undefined,
        reply: 'reply' in event ? (plain(event.reply) as Document) : undefined,
      });
    };
    client.on('commandStarted', (event) => record('commandStartedEvent', event));
    client.on('commandSucceeded', (event) => record('commandSucceededEvent', event));
    client.on('commandFailed', (event) => record('commandFailedEvent', event));
    await client.connect();
    return { client, events };
  }
}

/** The driver builds some command fields (sort) as Maps; the format compares them as documents. */
function plain(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([key, inner]) => [key, plain(inner)]));
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object' && value.constructor === Object) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  return value;
}

function isSession(value: unknown): value is ClientSession {
  return typeof (value as ClientSession | null)?.endSession === 'function' && typeof (value as ClientSession).startTransaction === 'function';
}

export type { Collection, Db };
