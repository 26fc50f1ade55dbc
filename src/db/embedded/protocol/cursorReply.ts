// Cursor replies assembled from stored BSON bytes: documents a find returns unchanged go from the journal to
// the socket without being decoded and re-encoded.
import { Long } from 'bson';

/** A reply body that is already BSON (the dispatcher passes it through instead of serialising). */
export class EncodedReply {
  constructor(readonly bytes: Buffer) {}
}

function element(type: number, name: string, value: Buffer): Buffer[] {
  return [Buffer.from([type]), Buffer.from(`${name}\0`, 'utf8'), value];
}

function documentOf(parts: Buffer[]): Buffer {
  const size = 4 + parts.reduce((sum, part) => sum + part.length, 0) + 1;
  const head = Buffer.allocUnsafe(4);
  head.writeInt32LE(size, 0);
  return Buffer.concat([head, ...parts, Buffer.from([0])], size);
}

/** { cursor: { firstBatch | nextBatch: [...docs], id: Long, ns }, ok: 1 } */
export function cursorReply(batchName: 'firstBatch' | 'nextBatch', docs: Buffer[], id: number, namespace: string): EncodedReply {
  const array = documentOf(docs.flatMap((doc, index) => element(0x03, String(index), doc)));
  const idBytes = Buffer.allocUnsafe(8);
  idBytes.writeBigInt64LE(Long.fromNumber(id).toBigInt(), 0);
  const nsBytes = Buffer.from(`${namespace}\0`, 'utf8');
  const nsValue = Buffer.allocUnsafe(4 + nsBytes.length);
  nsValue.writeInt32LE(nsBytes.length, 0);
  nsBytes.copy(nsValue, 4);
  const cursor = documentOf([...element(0x04, batchName, array), ...element(0x12, 'id', idBytes), ...element(0x02, 'ns', nsValue)]);
  const ok = Buffer.allocUnsafe(8);
  ok.writeDoubleLE(1, 0);
  return new EncodedReply(documentOf([...element(0x03, 'cursor', cursor), ...element(0x01, 'ok', ok)]));
}
