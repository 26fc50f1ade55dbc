// Files the CLI writes for its user. Each is written beside its target under a temporary name and renamed when
// complete, so a failed download never leaves a half-written file where the user expects a whole one.
import { rename, rm, writeFile } from 'node:fs/promises';
import { CliError, EXIT } from './exitCodes.js';

export async function writeWhole(file: string, bytes: Uint8Array): Promise<void> {
  const partial = `${file}.${process.pid}.part`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw new CliError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, EXIT.failed);
  }
}
