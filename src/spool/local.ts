// ImageSpool on the local disk: DATA_DIR/spool/{characterId}/{variation}-{seed}.json holds a generated image that
// could not be stored yet (its bytes base64 beside its size and timing), written to a temporary file and renamed,
// so a crash leaves either the whole entry or none. Entries are rare (only while a store fails) and small.
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isCharacterId } from '../domain/characterId.js';
import type { GeneratedImage, ImageContentType, ImageSpool, SpooledImageId } from '../ports.js';

interface SpoolEntry {
  contentType: ImageContentType;
  width: number;
  height: number;
  generationMs: number;
  bytes: string;
}

export class LocalImageSpool implements ImageSpool {
  constructor(private readonly root: string) {}

  async save(id: SpooledImageId, image: GeneratedImage & { generationMs: number }): Promise<void> {
    const file = this.fileOf(id);
    await mkdir(path.dirname(file), { recursive: true });
    const entry: SpoolEntry = { contentType: image.contentType, width: image.width, height: image.height, generationMs: image.generationMs, bytes: Buffer.from(image.bytes).toString('base64') };
    const temporary = `${file}.${randomUUID()}.tmp`;
    try {
      await writeFile(temporary, JSON.stringify(entry));
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async load(id: SpooledImageId): Promise<(GeneratedImage & { generationMs: number }) | null> {
    let text: string;
    try {
      text = await readFile(this.fileOf(id), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const entry = JSON.parse(text) as SpoolEntry;
    return { contentType: entry.contentType, width: entry.width, height: entry.height, generationMs: entry.generationMs, bytes: new Uint8Array(Buffer.from(entry.bytes, 'base64')) };
  }

  async remove(id: SpooledImageId): Promise<void> {
    await rm(this.fileOf(id), { force: true });
  }

  async removeCharacter(characterId: string): Promise<void> {
    await rm(this.folderOf(characterId), { recursive: true, force: true });
  }

  private folderOf(characterId: string): string {
    if (!isCharacterId(characterId)) throw new Error(`malformed character id ${JSON.stringify(characterId)}`);
    return path.join(this.root, characterId);
  }

  private fileOf(id: SpooledImageId): string {
    if (!Number.isInteger(id.seed) || id.seed < 0) throw new Error(`malformed seed ${id.seed}`);
    return path.join(this.folderOf(id.characterId), `${id.variation}-${id.seed}.json`);
  }
}
