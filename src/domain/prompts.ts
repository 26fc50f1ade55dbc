// Trait-enhanced prompt building: every image of a character repeats the same identity phrase (name,
// description, traits, style) so the backend keeps one identity across the 10 different shots.
import type { ImageSubject } from '../ports.js';
import type { VariationSpec } from './variations.js';

/** What the avatar's prompt asks for after the identity phrase. */
export const AVATAR_SHOT = 'character portrait, upper body, facing the viewer, clean background';
const QUALITY_SUFFIX = 'consistent character design, same person, high detail';

/** "Mira, a travelling cartographer, hair: auburn, eyes: green, in watercolor style". */
export function identityPhrase(subject: ImageSubject): string {
  const traits = Object.entries(subject.traits)
    .filter(([, value]) => value.trim() !== '')
    .map(([trait, value]) => `${trait.replace(/_/g, ' ')}: ${value}`);
  const parts = [subject.name, subject.description, ...traits].map((part) => part.trim()).filter((part) => part !== '');
  return `${parts.join(', ')}, in ${subject.style} style`;
}

export function avatarPrompt(subject: ImageSubject): string {
  return `${identityPhrase(subject)}, ${AVATAR_SHOT}, ${QUALITY_SUFFIX}`;
}

export function variationPrompt(subject: ImageSubject, spec: VariationSpec): string {
  return `${identityPhrase(subject)}, ${spec.promptTemplate}, ${QUALITY_SUFFIX}`;
}

/** A new image of the character: its identity phrase (in the asked style), then what the user wants to see. */
export function characterImagePrompt(subject: ImageSubject, request: string): string {
  return `${identityPhrase(subject)}, ${request}, ${QUALITY_SUFFIX}`;
}
