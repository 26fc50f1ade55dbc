import type { ImageSubject } from '../ports.js';

/** The generator's view of a character, from the stored record or a validated input alike. */
export function subjectOf(character: { name: string; description: string; traits: { key: string; value: string }[]; style: string }): ImageSubject {
  return {
    name: character.name,
    description: character.description,
    traits: Object.fromEntries(character.traits.map(({ key, value }) => [key, value])),
    style: character.style,
  };
}
