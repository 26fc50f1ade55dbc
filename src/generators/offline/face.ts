// Facial features in head coordinates (facing right when not front-on). The expression moves only the mouth,
// the brows and the eye shape, so a face stays the same person while its mood changes.
import { darken, mix } from './color.js';
import type { Expression, View } from './composition.js';
import type { CharacterLook } from './look.js';
import { circle, ellipse, n, path, stroke } from './svg.js';

interface EyePlace {
  x: number;
  /** Horizontal squash: 1 facing us, less as the eye turns away. */
  width: number;
}

/** Where the features sit in each view: turning the head slides them toward the side it faces. */
const LAYOUT: Record<View, { eyes: EyePlace[]; faceCentre: number; mouthX: number; mouthWidth: number }> = {
  front: { eyes: [{ x: -28, width: 1 }, { x: 28, width: 1 }], faceCentre: 0, mouthX: 0, mouthWidth: 1 },
  threeQuarter: { eyes: [{ x: -4, width: 0.72 }, { x: 38, width: 1 }], faceCentre: 18, mouthX: 22, mouthWidth: 0.85 },
  profile: { eyes: [{ x: 46, width: 0.55 }], faceCentre: 200, mouthX: 56, mouthWidth: 0.45 },
};

const EYE_Y = 6;

/** Brow heights above the eye (inner end, outer end): raised, knitted or slanted per mood. */
const BROWS: Record<Expression, [number, number]> = {
  neutral: [-27, -28],
  smile: [-29, -28],
  thoughtful: [-22, -31],
  grin: [-31, -29],
  joyful: [-35, -31],
  surprised: [-42, -38],
  sad: [-37, -22],
  angry: [-15, -32],
};

const MOUTHS: Record<Expression, { line?: string; fill?: string; teeth?: string; width: number }> = {
  neutral: { line: 'M -16 0 Q 0 3 16 0', width: 4 },
  smile: { line: 'M -22 -4 Q 0 16 22 -4', width: 5 },
  thoughtful: { line: 'M -14 2 Q 2 1 14 -4', width: 4 },
  grin: { fill: 'M -26 -6 Q 0 30 26 -6 Z', teeth: 'M -22 -4 Q 0 -1 22 -4 L 19 3 Q 0 7 -19 3 Z', width: 4 },
  joyful: { fill: 'M -30 -8 Q 0 40 30 -8 Z', teeth: 'M -26 -6 Q 0 -2 26 -6 L 22 2 Q 0 6 -22 2 Z', width: 4 },
  surprised: { fill: 'M -10 4 A 10 14 0 1 0 10 4 A 10 14 0 1 0 -10 4 Z', width: 4 },
  sad: { line: 'M -18 8 Q 0 -8 18 8', width: 5 },
  angry: { line: 'M -20 6 Q 0 -5 20 6', width: 6 },
};

function eye(place: EyePlace, view: View, expression: Expression, look: CharacterLook, ink: string): string {
  const { x, width } = place;
  if (expression === 'joyful') return path(`M ${n(x - 13 * width)} ${EYE_Y + 4} Q ${n(x)} ${EYE_Y - 10} ${n(x + 13 * width)} ${EYE_Y + 4}`, stroke(ink, 4.5));
  const open = expression === 'surprised' ? 14 : expression === 'angry' ? 8 : 11;
  const look_ = view === 'front' ? 0 : 4 * width;
  const iris = expression === 'surprised' ? 6.5 : 8.5;
  return (
    ellipse(x, EYE_Y, 14 * width, open, `fill="#fbfbf8" stroke="${ink}" stroke-width="2.5"`) +
    circle(x + look_, EYE_Y + 1, iris * Math.max(0.7, width), `fill="${look.eyes}"`) +
    circle(x + look_, EYE_Y + 1, iris * 0.48 * Math.max(0.7, width), 'fill="#141414"') +
    circle(x + look_ + 3, EYE_Y - 2.5, 2.4, 'fill="#ffffff"') +
    // Upper lid line: the strongest stroke on a cartoon face.
    path(`M ${n(x - 15 * width)} ${EYE_Y - 1} Q ${n(x)} ${EYE_Y - open - 4} ${n(x + 15 * width)} ${EYE_Y - 2}`, stroke(ink, 4))
  );
}

function brow(place: EyePlace, faceCentre: number, expression: Expression, colour: string): string {
  const inward = faceCentre >= place.x ? 1 : -1;
  const [innerY, outerY] = BROWS[expression];
  const inner = place.x + inward * 13 * place.width;
  const outer = place.x - inward * 16 * place.width;
  return path(`M ${n(inner)} ${EYE_Y + innerY} Q ${n((inner + outer) / 2)} ${EYE_Y + Math.min(innerY, outerY) - 4} ${n(outer)} ${EYE_Y + outerY}`, stroke(colour, 6));
}

function nose(view: View, skin: string): string {
  const shade = darken(skin, 0.28);
  if (view === 'front') return path('M -3 20 Q -9 33 3 35', stroke(shade, 3.5));
  if (view === 'threeQuarter') return path('M 24 10 L 38 31 L 25 35', stroke(shade, 3.5));
  return ''; // in profile the nose is part of the head's silhouette
}

function mouth(view: View, expression: Expression, skin: string): string {
  const spec = MOUTHS[expression];
  const { mouthX, mouthWidth } = LAYOUT[view];
  const lip = mix(skin, '#7a1f24', 0.65);
  let shapes = '';
  if (spec.fill) shapes += path(spec.fill, `fill="#5a1820" stroke="${lip}" stroke-width="3" stroke-linejoin="round"`);
  if (spec.teeth) shapes += path(spec.teeth, 'fill="#fbfbf6"');
  if (spec.line) shapes += path(spec.line, stroke(lip, spec.width));
  return `<g transform="translate(${n(mouthX)} 54) scale(${n(mouthWidth)} 1)">${shapes}</g>`;
}

function cheeks(view: View, expression: Expression, look: CharacterLook): string {
  const places = LAYOUT[view].eyes;
  let marks = '';
  if (expression === 'smile' || expression === 'grin' || expression === 'joyful') {
    for (const place of places) marks += ellipse(place.x, 40, 12 * place.width, 7, 'fill="#ff6f6f" fill-opacity="0.3"');
  }
  if (look.freckles) {
    const dot = darken(look.skin, 0.3);
    for (const place of places) for (const [dx, dy] of [[-6, 30], [2, 34], [8, 29]] as const) marks += circle(place.x + dx * place.width, dy, 2, `fill="${dot}"`);
  }
  return marks;
}

/** Eyes, brows, nose, mouth and cheeks for one view and mood. */
export function faceFeatures(look: CharacterLook, view: View, expression: Expression): string {
  const ink = '#2a1c1c';
  const browColour = darken(look.hair, 0.25);
  const { eyes, faceCentre } = LAYOUT[view];
  return (
    cheeks(view, expression, look) +
    eyes.map((place) => eye(place, view, expression, look, ink) + brow(place, faceCentre, expression, browColour)).join('') +
    nose(view, look.skin) +
    mouth(view, expression, look.skin)
  );
}

/** Where glasses and earrings attach: eye centres and ear lobes, per view. */
export function eyePlaces(view: View): readonly EyePlace[] {
  return LAYOUT[view].eyes;
}

export { EYE_Y };
