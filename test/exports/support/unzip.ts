// Reads an export back with yauzl, a different zip library from the fflate that wrote it, with strict file
// names (no absolute paths, '..' or backslashes), checking each entry's size and CRC-32 against its data.
import { crc32 } from 'node:zlib';
import { buffer } from 'node:stream/consumers';
import yauzl from 'yauzl';

export interface UnzippedFile {
  data: Buffer;
  modifiedAt: Date;
}

export async function unzip(bytes: Uint8Array): Promise<Map<string, UnzippedFile>> {
  const zip = await yauzl.fromBufferPromise(Buffer.from(bytes), { strictFileNames: true, validateEntrySizes: true, autoClose: false });
  const files = new Map<string, UnzippedFile>();
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      if (files.has(entry.fileName)) throw new Error(`${entry.fileName} is in the archive twice`);
      const data = await buffer(await zip.openReadStreamPromise(entry));
      if (crc32(data) !== entry.crc32) throw new Error(`${entry.fileName}: CRC-32 does not match its data`);
      files.set(entry.fileName, { data, modifiedAt: entry.getLastModDate() });
    }
  } finally {
    zip.close();
  }
  return files;
}

export const text = (files: Map<string, UnzippedFile>, path: string): string => {
  const file = files.get(path);
  if (!file) throw new Error(`${path} is not in the archive (it holds ${[...files.keys()].join(', ')})`);
  return file.data.toString('utf8');
};

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
