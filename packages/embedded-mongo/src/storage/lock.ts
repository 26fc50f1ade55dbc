// One store per data folder: two processes appending to the same journals would interleave records and
// corrupt them. The lock file holds the owner's pid; a lock left by a dead process (kill -9) is taken over.
import fs from 'node:fs';
import path from 'node:path';

export interface FolderLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFolder(dataDir: string): FolderLock {
  const file = path.join(dataDir, 'LOCK');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return { release: () => fs.rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(fs.readFileSync(file, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new Error(`the embedded store data folder ${dataDir} is in use by process ${owner}${owner === process.pid ? ' (this one)' : ''}`);
      }
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the embedded store data folder ${dataDir}`);
}
