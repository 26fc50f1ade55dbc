// Keeps a lease alive while work runs: renewed every third of its length, and `onLost` is told when a renewal
// finds it gone (expired and taken over, or taken away by a cancel or a delete), so the work stops writing.
import type { Logger } from '../logger.js';

export function keepLease(renew: (until: Date) => Promise<boolean>, leaseMs: number, onLost: () => void, logger: Logger): () => void {
  const timer = setInterval(() => {
    renew(new Date(Date.now() + leaseMs))
      .then((held) => {
        if (!held) onLost();
      })
      .catch((error: unknown) => logger.warn({ err: error }, 'lease renewal failed'));
  }, Math.max(1, Math.floor(leaseMs / 3)));
  return () => clearInterval(timer);
}
