// Static API keys for server-to-server callers (the character app's backend) that act on behalf of one of
// their users. Only SHA-256 digests live in the configuration: keys are long random strings, so a plain
// digest is enough (no password hashing), and a leaked config does not leak usable keys.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface ApiKeyEntry {
  /** Who holds the key, for logs; never the key itself. */
  name: string;
  sha256: Buffer;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Parses AUTH_API_KEYS (`name:sha256hex,…`; config.ts has already checked the shape). */
export function parseApiKeys(setting: string): ApiKeyEntry[] {
  return setting.split(',').map((entry) => {
    const parts = entry.split(':');
    // Stryker disable next-line StringLiteral: unreachable defaults, config.ts lets only `name:sha256hex` entries through
    const [name = '', digest = ''] = parts;
    return { name, sha256: Buffer.from(digest, 'hex') };
  });
}

export class ApiKeyRing {
  constructor(private readonly entries: readonly ApiKeyEntry[]) {}

  get size(): number {
    return this.entries.length;
  }

  /** The name of the matching key, or null. Compares every entry in constant time, so timing reveals nothing. */
  holderOf(key: string): string | null {
    const digest = createHash('sha256').update(key, 'utf8').digest();
    let holder: string | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.sha256, digest) && holder === null) holder = entry.name;
    }
    return holder;
  }
}
