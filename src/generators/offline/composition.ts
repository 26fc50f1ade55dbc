// What each variation shows: camera framing, pose, head angle, expression, backdrop. This is the renderer's
// reading of the variation catalog (domain/variations.ts); the seed only nudges lighting and background details.
import type { VariationType } from '../../domain/variations.js';
import { directedShot, readDirection } from './direction.js';
import { Rng } from './random.js';

export type View = 'front' | 'threeQuarter' | 'profile';
export type Pose = 'standing' | 'action' | 'sitting' | 'waving';
export type Expression = 'neutral' | 'smile' | 'thoughtful' | 'grin' | 'joyful' | 'surprised' | 'sad' | 'angry';
export type Backdrop = 'studio' | 'scene' | 'medallion';

/**
 * The part of the world (figure units: head near y 130, feet at y 910) that must be in the picture, centred on
 * (cx, cy). A square picture shows exactly 2·halfHeight on each side; other shapes widen or heighten it.
 */
export interface Framing {
  cx: number;
  cy: number;
  halfHeight: number;
  /** How much width the subject needs; less than halfHeight lets tall pictures zoom in on a standing figure. */
  halfWidth: number;
}

export interface Composition {
  view: View;
  /** 1: the character turns to the viewer's right; -1: to the left. Only matters for non-front views. */
  facing: 1 | -1;
  pose: Pose;
  expression: Expression;
  /** Degrees the head leans, for life in the pose. */
  headTilt: number;
  framing: Framing;
  backdrop: Backdrop;
  alternateOutfit: boolean;
  motionLines: boolean;
  /** Seed-driven: small hue shift of the backdrop (degrees), side and strength of the key light. */
  tintShift: number;
  lightSide: 1 | -1;
  lightStrength: number;
  /** Seed for scattering background details (clouds, stars, windows). */
  detailSeed: number;
}

type Shot = Omit<Composition, 'tintShift' | 'lightSide' | 'lightStrength' | 'detailSeed'>;

const HEAD_AND_SHOULDERS: Framing = { cx: 0, cy: 205, halfHeight: 205, halfWidth: 205 };
const PORTRAIT: Framing = { cx: 0, cy: 170, halfHeight: 160, halfWidth: 160 };
const CLOSE_UP: Framing = { cx: 0, cy: 128, halfHeight: 112, halfWidth: 112 };
const UPPER_BODY: Framing = { cx: 0, cy: 290, halfHeight: 290, halfWidth: 190 };
const FULL_BODY: Framing = { cx: 0, cy: 475, halfHeight: 505, halfWidth: 260 };
const WIDE: Framing = { cx: 60, cy: 500, halfHeight: 620, halfWidth: 620 };

const base: Shot = {
  view: 'front',
  facing: 1,
  pose: 'standing',
  expression: 'neutral',
  headTilt: 0,
  framing: HEAD_AND_SHOULDERS,
  backdrop: 'studio',
  alternateOutfit: false,
  motionLines: false,
};

/**
 * The mood of "another expression": chosen by seed so different characters do not all pull the same face, and
 * never one another shot already uses.
 */
const OTHER_MOODS: readonly Expression[] = ['surprised', 'sad', 'angry'];

const SITTING: Framing = { cx: 50, cy: 480, halfHeight: 430, halfWidth: 240 };
const ACTION: Framing = { ...FULL_BODY, cx: -10, cy: 470, halfWidth: 340 };

function shotFor(variation: VariationType | 'avatar' | 'custom', rng: Rng, direction: string): Shot {
  switch (variation) {
    case 'custom':
      return { ...base, ...directedShot(readDirection(direction), { closeUp: CLOSE_UP, portrait: PORTRAIT, upperBody: UPPER_BODY, fullBody: FULL_BODY, wide: WIDE, sitting: SITTING, action: ACTION }) };
    case 'avatar':
      return { ...base, expression: 'smile', backdrop: 'medallion' };
    case 'portrait_front':
      return base;
    case 'portrait_side':
      return { ...base, view: 'profile', expression: 'thoughtful' };
    case 'full_body_standing':
      return { ...base, framing: FULL_BODY, expression: 'smile' };
    case 'action_pose':
      return { ...base, pose: 'action', framing: ACTION, expression: 'grin', headTilt: -8, motionLines: true };
    case 'sitting_casual':
      return { ...base, view: 'threeQuarter', pose: 'sitting', framing: SITTING, expression: 'smile' };
    case 'close_up_expression':
      return { ...base, framing: CLOSE_UP, expression: 'joyful', headTilt: 5 };
    case 'three_quarter_view':
      return { ...base, view: 'threeQuarter', facing: -1, framing: UPPER_BODY, expression: 'smile', headTilt: -4 };
    case 'environmental_context':
      return { ...base, pose: 'waving', framing: WIDE, expression: 'smile', backdrop: 'scene' };
    case 'different_expression':
      // A tighter portrait than the front one, so the changed face is what the picture is about.
      return { ...base, framing: PORTRAIT, expression: rng.pick(OTHER_MOODS), headTilt: rng.pick([-7, 7]) };
    case 'outfit_variation':
      return { ...base, framing: UPPER_BODY, expression: 'smile', alternateOutfit: true };
  }
}

/** `direction`: the user's words for a 'custom' image (ignored for the catalog's shots). */
export function compose(variation: VariationType | 'avatar' | 'custom', seed: number, direction = ''): Composition {
  const rng = new Rng(seed ^ 0x5eed);
  const shot = shotFor(variation, rng, direction);
  return {
    ...shot,
    tintShift: rng.between(-25, 25),
    lightSide: rng.chance(0.5) ? 1 : -1,
    lightStrength: rng.between(0.12, 0.3),
    detailSeed: Math.floor(rng.next() * 4294967296),
  };
}
