// The images a set's requests are conditioned on (IDENTITY_CONDITIONING=avatar): the character's stored avatar,
// read once per run and handed to every variation request, so each backend can keep the same face (IP-Adapter,
// PuLID, ...). A storage outage is waited out like any other write of the set; an avatar that is really gone
// leaves the set unconditioned, with a warning, rather than stuck.
import { imageContentTypeOfKey } from '../domain/imageFiles.js';
import type { ObjectStore, ReferenceImage } from '../ports.js';
import { untilDone } from './retries.js';
import type { CharacterRecord } from '../domain/character.js';
import type { Logger } from '../logger.js';
import type { GenerationSettings } from './settings.js';

/** Work on one character that may stop (a set's run, a generated image's). */
export interface ConditionedWork {
  record: Pick<CharacterRecord, 'avatarKey' | 'id'>;
  stop: AbortSignal;
  log: Logger;
}

/** The references for the character's requests; null when work stopped first. */
export async function referencesFor(run: ConditionedWork, store: ObjectStore, settings: GenerationSettings): Promise<ReferenceImage[] | null> {
  if (settings.conditioning === 'none') return [];
  const { avatarKey, id } = run.record;
  const read = await untilDone(() => store.get(avatarKey), {
    signal: run.stop,
    baseDelayMs: settings.retryBaseDelayMs,
    onFailure: async (error, failures) => run.log.warn({ err: error, failures }, 'reading the avatar to condition on failed; trying again'),
  });
  if (!read) return null;
  const contentType = imageContentTypeOfKey(avatarKey);
  if (!read.value || !contentType) {
    run.log.warn({ avatarKey }, 'the avatar is missing from the store; its images are generated without it as a reference');
    return [];
  }
  const extension = avatarKey.slice(avatarKey.lastIndexOf('.') + 1);
  return [{ name: `charsheet-${id}-avatar.${extension}`, role: 'avatar', bytes: read.value, contentType }];
}
