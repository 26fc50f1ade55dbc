// The wire protocol itself, spoken by hand: the legacy OP_QUERY handshake, OP_MSG document sequences (kind 1),
// and moreToCome (no reply). Shapes from the MongoDB Wire Protocol reference; a real server gives the same.
import net from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { useDriver } from './support/driver.js';

const fx = useDriver();

async function exchange(message: Buffer): Promise<Buffer> {
  const { hostname, port } = new URL(fx.database.uri.replace(/^mongodb(\+srv)?:/, 'http:'));
  const socket = net.connect(Number(port || 27017), hostname);
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      let received = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        if (received.length >= 4 && received.length >= received.readInt32LE(0)) resolve(received);
      });
      socket.once('error', reject);
      socket.write(message);
    });
  } finally {
    socket.destroy();
  }
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const bytes = Buffer.alloc(16);
  bytes.writeInt32LE(length, 0);
  bytes.writeInt32LE(requestId, 4);
  bytes.writeInt32LE(opCode, 12);
  return bytes;
}

function opMsg(requestId: number, body: Document, sequence?: { identifier: string; documents: Document[] }): Buffer {
  const parts = [Buffer.alloc(4), Buffer.from([0]), Buffer.from(serialize(body))];
  if (sequence) {
    const docs = Buffer.concat(sequence.documents.map((doc) => Buffer.from(serialize(doc))));
    const name = Buffer.from(`${sequence.identifier}\0`);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + name.length + docs.length, 0);
    parts.push(Buffer.from([1]), size, name, docs);
  }
  const payload = Buffer.concat(parts);
  return Buffer.concat([header(16 + payload.length, requestId, 2013), payload]);
}

describe('wire protocol', () => {
  it('answers a legacy OP_QUERY isMaster with an OP_REPLY', async () => {
    const query = Buffer.concat([Buffer.alloc(4), Buffer.from('admin.$cmd\0'), Buffer.alloc(4), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from(serialize({ isMaster: 1, helloOk: true }))]);
    const reply = await exchange(Buffer.concat([header(16 + query.length, 77, 2004), query]));
    expect(reply.readInt32LE(8)).toBe(77); // responseTo
    expect(reply.readInt32LE(12)).toBe(1); // OP_REPLY
    expect(reply.readInt32LE(32)).toBe(1); // numberReturned
    const doc = deserialize(reply.subarray(36));
    expect(doc).toMatchObject({ ismaster: true, ok: 1 });
    expect(doc.maxWireVersion).toBeGreaterThanOrEqual(8);
  });

  it('reads documents from an OP_MSG kind-1 section', async () => {
    const documents = [{ _id: 'w1', v: 1 }, { _id: 'w2', v: 2 }];
    const reply = await exchange(opMsg(5, { insert: 'sequenced', $db: fx.database.dbName }, { identifier: 'documents', documents }));
    expect(reply.readInt32LE(12)).toBe(2013);
    expect(deserialize(reply.subarray(21))).toMatchObject({ n: 2, ok: 1 });
    expect(await fx.db.collection('sequenced').countDocuments()).toBe(2);
  });

  it('applies an unacknowledged write (w: 0, sent with moreToCome)', async () => {
    await fx.db.collection('fireAndForget').insertOne({ quiet: true }, { writeConcern: { w: 0 } });
    await expect.poll(() => fx.db.collection('fireAndForget').countDocuments({ quiet: true })).toBe(1);
  });
});
