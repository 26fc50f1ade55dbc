// The proportions that make a face one person's rather than a colour swap of everyone else's: face width and
// jaw, eye size, shape, spacing and height, brows, nose, mouth and facial hair. A face-recognition model reads
// these, not the hair colour, so without them every offline character had nearly the same face embedding
// (bench/identity.bench.ts measures how far apart they now are). Drawn from the character's hash like the
// rest of the look, never from the seed, so the 10 shots of one character share one face.
import type { Rng } from './random.js';

export type Jaw = 'round' | 'pointed' | 'square';
export type EyeShape = 'round' | 'almond' | 'narrow';
export type NoseShape = 'button' | 'line' | 'long' | 'wide';
export type FacialHair = 'none' | 'stubble' | 'moustache' | 'beard';
export type GlassesFrame = 'round' | 'square' | 'browline';

export interface FaceShape {
  /** Head width over the standard 72 head units: below 1 a narrow face, above 1 a broad one. */
  width: number;
  jaw: Jaw;
  /** Stretch of the jaw and chin downward: below 1 a short face, above 1 a long one. */
  length: number;
  /** Half the distance between the eye centres, front-on, in head units. */
  eyeSpacing: number;
  /** Scale of the eyes (whites, iris and lids). */
  eyeSize: number;
  eyeShape: EyeShape;
  /** Iris size relative to the eye: small, pale-ringed irises to big dark ones. */
  irisSize: number;
  /** Lashes at the outer corner of each upper lid. */
  lashes: boolean;
  /** Height of the eye line in head units (0 = the head's centre, larger = lower). */
  eyeY: number;
  /** Stroke width of the brows. */
  browWeight: number;
  /** Added to the expression's brow height: negative raises the brows. */
  browLift: number;
  nose: NoseShape;
  noseSize: number;
  mouthWidth: number;
  /** Height of the mouth in head units. */
  mouthY: number;
  fullLips: boolean;
  facialHair: FacialHair;
  /** How far the fringe comes down the forehead, in head units (negative: a high forehead). */
  hairline: number;
  /** Which side the fringe sweeps from: 1 the character's left, -1 their right. */
  parting: 1 | -1;
  /** Drawn only for characters who wear glasses: identical frames made every wearer look alike. */
  glassesFrame: GlassesFrame;
  glassesColour: string;
}

/** Words that rule facial hair out when the fallback would draw some. */
const FEMININE = /\b(she|her|woman|girl|lady|queen|princess|witch|mother|daughter|sister|actress|heroine|priestess|goddess)\b/;

function facialHairFrom(words: string, fallback: FacialHair): FacialHair {
  if (/clean[- ]shaven|beardless/.test(words)) return 'none';
  if (/\bbeard/.test(words)) return 'beard';
  if (/moustache|mustache/.test(words)) return 'moustache';
  if (/stubble|unshaven/.test(words)) return 'stubble';
  return FEMININE.test(words) ? 'none' : fallback;
}

function jawFrom(words: string, fallback: Jaw): Jaw {
  if (/square[- ]jaw|chiselled|chiseled|strong jaw/.test(words)) return 'square';
  if (/round face|chubby|baby[- ]face/.test(words)) return 'round';
  if (/pointed chin|sharp features|\belf/.test(words)) return 'pointed';
  return fallback;
}

/**
 * Draws every choice in a fixed order whether words override it or not, so a word changing one feature leaves
 * the others as they were. `words` is the character's description and traits, lower-cased.
 */
export function deriveFaceShape(rng: Rng, words: string): FaceShape {
  const width = rng.between(0.86, 1.14);
  const jaw = rng.pick<Jaw>(['round', 'pointed', 'square']);
  const eyeSpacing = rng.between(21, 35);
  const eyeSize = rng.between(0.8, 1.3);
  const eyeShape = rng.pick<EyeShape>(['round', 'almond', 'narrow']);
  const eyeY = rng.between(-2, 14);
  const browWeight = rng.between(3.5, 10);
  const browLift = rng.between(-7, 5);
  const nose = rng.pick<NoseShape>(['button', 'line', 'long', 'wide']);
  const noseSize = rng.between(0.8, 1.35);
  const mouthWidth = rng.between(0.75, 1.35);
  const mouthY = rng.between(50, 62);
  const fullLips = rng.chance(0.4);
  const facialHair = rng.pick<FacialHair>(['none', 'none', 'none', 'stubble', 'moustache', 'beard']);
  const hairline = rng.between(-14, 22);
  const parting = rng.chance(0.5) ? 1 : -1;
  const glassesFrame = rng.pick<GlassesFrame>(['round', 'square', 'browline']);
  const glassesColour = rng.pick(['#1f1f24', '#6b3a1e', '#b8862b', '#7a1f2b', '#2f4f8f', '#9aa0a8']);
  const length = rng.between(0.9, 1.12);
  const irisSize = rng.between(0.75, 1.2);
  const lashes = rng.chance(0.35);
  return {
    width,
    jaw: jawFrom(words, jaw),
    length,
    // Big eyes set wide apart would overlap the ears on a narrow face.
    eyeSpacing: Math.min(eyeSpacing, 72 * width - 26 * eyeSize),
    eyeSize,
    eyeShape,
    irisSize,
    lashes,
    eyeY,
    browWeight,
    browLift,
    nose,
    noseSize,
    mouthWidth,
    mouthY,
    fullLips,
    facialHair: facialHairFrom(words, facialHair),
    // A fringe no lower than just above the brows, which carry much of a face's identity.
    hairline: Math.min(hairline, eyeY + browLift - 11 * (eyeSize - 1) - 1),
    parting,
    glassesFrame,
    glassesColour,
  };
}
