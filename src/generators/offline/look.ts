// The character's look: everything that must stay the same across the avatar and all 10 variations. It comes
// from the traits the user typed and, where they are silent, from a hash of the character's name and
// description — never from the variation's seed, or the 10 images would show 10 different people.
import type { ImageSubject } from '../../ports.js';
import { darken, hsl, hueOf, mix } from './color.js';
import { colourFromPhrase, NATURAL, type ColouredFeature } from './colorWords.js';
import { deriveFaceShape, type FaceShape } from './faceShape.js';
import { hashString, Rng } from './random.js';

export type HairCap = 'smooth' | 'spiky' | 'curly';
export type HairLength = 'cropped' | 'bob' | 'long';
export type HairExtra = 'none' | 'ponytail' | 'bun';
export type Accessory = 'none' | 'glasses' | 'earrings' | 'headband' | 'scarf';
export type OutfitCut = 'shirt' | 'jacket' | 'dress';
export type Setting = 'forest' | 'city' | 'beach' | 'mountains' | 'night' | 'desert';

export interface CharacterLook {
  hair: string;
  skin: string;
  eyes: string;
  outfit: string;
  /** The "another outfit" colour: a clearly different hue of similar weight. */
  alternateOutfit: string;
  trousers: string;
  shoes: string;
  /** Accessories, trims and the avatar's ring. */
  accent: string;
  hairCap: HairCap;
  hairLength: HairLength;
  hairExtra: HairExtra;
  accessory: Accessory;
  outfitCut: OutfitCut;
  freckles: boolean;
  /** Proportions of the face: what a face-recognition model tells characters apart by. */
  face: FaceShape;
  /** Hue of the studio backdrop, chosen to set the outfit off. */
  backdropHue: number;
  setting: Setting;
}

const FEATURE_KEYS: Readonly<Record<ColouredFeature, RegExp>> = {
  hair: /hair/,
  eyes: /eye/,
  skin: /skin|complexion/,
  outfit: /outfit|cloth|attire|costume|wear|dress|shirt|jacket|uniform|armou?r|robe|coat|garb/,
};

/** How free text names a feature: "long red hair", "green eyes", "pale skin", "a crimson cloak". */
const FEATURE_NOUNS: Readonly<Record<ColouredFeature, RegExp>> = {
  hair: /((?:[\w#-]+\s+){1,3})(?:hair|locks)\b/gi,
  eyes: /((?:[\w#-]+\s+){1,2})eyes?\b/gi,
  skin: /((?:[\w#-]+\s+){1,2})(?:skin|complexion)\b/gi,
  outfit: /((?:[\w#-]+\s+){1,3})(?:outfit|jacket|coat|dress|shirt|robe|cloak|armou?r|uniform|suit|hoodie|tunic)\b/gi,
};

function normalizedKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z]/g, '');
}

function featureOfKey(key: string): ColouredFeature | undefined {
  const normalized = normalizedKey(key);
  return (Object.keys(FEATURE_KEYS) as ColouredFeature[]).find((feature) => FEATURE_KEYS[feature].test(normalized));
}

/**
 * Everything the user said about one feature, most specific first: trait values under that feature's key,
 * then phrases naming it in free text (the description, and traits such as "appearance" or "look").
 */
function phrasesFor(feature: ColouredFeature, subject: ImageSubject): string[] {
  const traits = Object.entries(subject.traits);
  const direct = traits.filter(([key]) => featureOfKey(key) === feature).map(([, value]) => value);
  const freeText = [...traits.filter(([key]) => featureOfKey(key) === undefined).map(([, value]) => value), subject.description];
  const described = freeText.flatMap((text) => [...text.matchAll(FEATURE_NOUNS[feature])].map((match) => match[1] ?? ''));
  return [...direct, ...described];
}

function namedColour(feature: ColouredFeature, subject: ImageSubject): string | null {
  for (const phrase of phrasesFor(feature, subject)) {
    const colour = colourFromPhrase(phrase, feature);
    if (colour) return colour;
  }
  return null;
}

/** The first option whose words appear in the text, or null. */
function firstMentioned<T>(text: string, options: readonly [T, RegExp][]): T | null {
  for (const [value, words] of options) if (words.test(text)) return value;
  return null;
}

function allWords(subject: ImageSubject): string {
  return [subject.description, ...Object.entries(subject.traits).flat()].join(' ').toLowerCase();
}

export function deriveLook(subject: ImageSubject): CharacterLook {
  // Keyed on who the character is; trimmed and lower-cased so cosmetic edits of the name keep the look.
  const rng = new Rng(hashString(`${subject.name.trim().toLowerCase()}\n${subject.description.trim()}`));
  const hairText = phrasesFor('hair', subject).join(' ').toLowerCase();
  const everything = allWords(subject);

  // Draw every random choice in a fixed order, used or not, so a trait overriding one choice leaves the others as they were.
  const fallback = {
    hair: rng.pick(NATURAL.hair),
    skin: rng.pick(NATURAL.skin),
    eyes: rng.pick(NATURAL.eyes),
    outfitHue: rng.between(0, 360),
    hairCap: rng.pick<HairCap>(['smooth', 'smooth', 'spiky', 'curly']),
    hairLength: rng.pick<HairLength>(['cropped', 'bob', 'long']),
    hairExtra: rng.pick<HairExtra>(['none', 'none', 'ponytail', 'bun']),
    accessory: rng.pick<Accessory>(['none', 'glasses', 'earrings', 'headband', 'scarf']),
    outfitCut: rng.pick<OutfitCut>(['shirt', 'jacket', 'dress']),
    freckles: rng.chance(0.3),
    trousers: rng.pick(['#2b3344', '#3b5b8c', '#4a3b2f', '#2d2d2d', '#5b5e66', '#6b5a3e']),
    setting: rng.pick<Setting>(['forest', 'city', 'beach', 'mountains', 'night', 'desert']),
  };
  // Drawn after the choices above, so adding the face kept every earlier character's colours and hair.
  const face = deriveFaceShape(rng, everything);

  const outfit = namedColour('outfit', subject) ?? hsl(fallback.outfitHue, 0.55, 0.45);
  const outfitHue = hueOf(outfit);
  const hairExtra = firstMentioned<HairExtra>(hairText, [['ponytail', /pony|braid/], ['bun', /\bbun\b/]]);
  return {
    hair: namedColour('hair', subject) ?? fallback.hair,
    skin: namedColour('skin', subject) ?? fallback.skin,
    eyes: namedColour('eyes', subject) ?? fallback.eyes,
    outfit,
    alternateOutfit: hsl(outfitHue + 150, 0.55, 0.5),
    trousers: fallback.trousers,
    shoes: darken(mix(fallback.trousers, '#3a2a1e', 0.5), 0.3),
    accent: hsl(outfitHue + 40, 0.7, 0.55),
    hairCap: firstMentioned<HairCap>(hairText, [['spiky', /spik|mohawk|punk/], ['curly', /curl|afro|wav|frizz/], ['smooth', /straight|sleek|smooth/]]) ?? fallback.hairCap,
    hairLength: firstMentioned<HairLength>(hairText, [['long', /long|flowing|waist/], ['bob', /bob|shoulder|medium/], ['cropped', /short|crop|buzz|pixie/]]) ?? (hairExtra ? 'cropped' : fallback.hairLength),
    hairExtra: hairExtra ?? fallback.hairExtra,
    accessory:
      firstMentioned<Accessory>(everything, [['glasses', /glasses|spectacles|goggles|monocle/], ['earrings', /earring/], ['headband', /headband|bandana|circlet|tiara/], ['scarf', /scarf|shawl/]]) ??
      fallback.accessory,
    outfitCut: firstMentioned<OutfitCut>(everything, [['jacket', /jacket|coat\b|blazer|hoodie|\bvest\b/], ['dress', /dress|gown|robe|skirt|kimono/], ['shirt', /shirt|\btee\b|sweater|tunic/]]) ?? fallback.outfitCut,
    freckles: /freckle/.test(everything) || fallback.freckles,
    face,
    backdropHue: outfitHue + 180,
    setting:
      firstMentioned<Setting>(everything, [
        ['forest', /forest|\bwoods?\b|jungle|\belf|druid|ranger/],
        ['city', /city|street|urban|cyber|detective|office/],
        ['beach', /beach|sea|ocean|pirate|island|sailor/],
        ['mountains', /mountain|snow|winter|\bice\b|climb/],
        ['night', /night|\bspace|\bstars?\b|moon|vampire|witch|wizard/],
        ['desert', /desert|sand|dune|nomad/],
      ]) ?? fallback.setting,
  };
}
