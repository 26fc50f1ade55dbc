// What clients see of a record: the stored keys become URLs at the moment of reading, from the store and the
// current PUBLIC_URL, so restarting on another port or moving the domain breaks no link. Records written
// before keys were the source of URLs still read: their keys are there too (their stored URLs are ignored,
// and used only where no key was ever stored).
import type { CharacterRecord, VariationState } from '../domain/character.js';
import type { CharacterImageState } from '../domain/characterImages.js';
import { metadataKey } from '../domain/storageKeys.js';
import type { ObjectStore, ProgressEvent } from '../ports.js';

export type ObjectUrls = Pick<ObjectStore, 'url'>;

export interface VariationView extends Omit<VariationState, 'url'> {
  url: string | null;
}

export interface CharacterImageView extends CharacterImageState {
  url: string | null;
}

export interface CharacterView extends Omit<CharacterRecord, 'variations' | 'embeddings' | 'generatedImages'> {
  avatarUrl: string;
  identityModel: string | null;
  variations: VariationView[];
  generatedImages: CharacterImageView[];
  embeddings: {
    imageEmbeddings: Omit<CharacterRecord['embeddings']['imageEmbeddings'], 'metadataUrl' | 'cloudinaryUrls'> & { metadataUrl: string | null; cloudinaryUrls: string[]; totalImages: number };
  };
}

export function variationUrl(variation: VariationState, urls: ObjectUrls): string | null {
  if (variation.status !== 'completed') return null;
  if (variation.key) return urls.url(variation.key, variation.version);
  return variation.url ?? null;
}

/** metadata.json sits at a fixed key; records from before `metadataKey` was stored only kept its URL. */
function metadataKeyOf(record: CharacterRecord): string | null {
  const set = record.embeddings.imageEmbeddings;
  if (set.metadataKey) return set.metadataKey;
  return set.metadataUrl ? metadataKey(record) : null;
}

export function characterImageView(image: CharacterImageState, urls: ObjectUrls): CharacterImageView {
  return { ...image, url: image.status === 'completed' && image.key ? urls.url(image.key, image.version) : null };
}

export function characterView(record: CharacterRecord, urls: ObjectUrls): CharacterView {
  // A score is shown only with the image it scored (a regenerated image waits for its own).
  const variations = record.variations.map(({ identity, ...variation }) => ({ ...variation, url: variationUrl(variation, urls), ...(identity && identity.key === variation.key ? { identity } : {}) }));
  const imageUrls = variations.flatMap((variation) => (variation.url ? [variation.url] : []));
  const set = record.embeddings.imageEmbeddings;
  // metadata.json of a finished set; not while it is still to be written (it would describe an older state).
  const metadataKey = set.metadataPending ? null : metadataKeyOf(record);
  return {
    ...record,
    avatarUrl: urls.url(record.avatarKey, record.avatarVersion),
    identityModel: record.identity?.model ?? null,
    variations,
    generatedImages: (record.generatedImages ?? []).map((image) => characterImageView(image, urls)),
    embeddings: { imageEmbeddings: { ...set, totalImages: imageUrls.length, cloudinaryUrls: imageUrls, metadataUrl: metadataKey ? urls.url(metadataKey, set.metadataVersion) : null } },
  };
}

export interface ProgressEventView extends ProgressEvent {
  url: string | null;
  replaced: boolean;
  replayed: boolean;
}

export function progressEventView(event: ProgressEvent, urls: ObjectUrls): ProgressEventView {
  return { ...event, url: event.key ? urls.url(event.key, event.version) : null, replaced: event.replaced ?? false, replayed: event.replayed ?? false };
}
