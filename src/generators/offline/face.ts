// Facial features in head coordinates (facing right when not front-on). Where they sit and how big they are
// comes from the character's face shape (faceShape.ts); the expression moves only the mouth, the brows and
// the eye opening, so a face stays the same person while its mood changes.
import { darken, mix } from './color.js';
import type { Expression, View } from './composition.js';
import type { EyeShape, FaceShape } from './faceShape.js';
import type { CharacterLook } from './look.js';
import { circle, ellipse, INK, inked, n, path, stroke } from './svg.js';

export interface EyePlace {
  x: number;
  /** Horizontal squash: 1 facing us, less as the eye turns away. */
  width: number;
}

interface Layout {
  eyes: EyePlace[];
  faceCentre: number;
  mouthX: number;
  mouthWidth: number;
}

/** Where the features sit in each view: turning the head slides them toward the side it faces. */
function layout(view: View, shape: FaceShape): Layout {
  const spacing = shape.eyeSpacing;
  switch (view) {
    case 'front':
      return { eyes: [{ x: -spacing, width: 1 }, { x: spacing, width: 1 }], faceCentre: 0, mouthX: 0, mouthWidth: shape.mouthWidth };
    case 'threeQuarter':
      return { eyes: [{ x: 17 - 0.75 * spacing, width: 0.72 }, { x: 17 + 0.75 * spacing, width: 1 }], faceCentre: 18, mouthX: 22, mouthWidth: 0.85 * shape.mouthWidth };
    case 'profile':
      return { eyes: [{ x: 46, width: 0.55 }], faceCentre: 200, mouthX: 56, mouthWidth: 0.45 * shape.mouthWidth };
  }
}

/** Brow heights above the eye (inner end, outer end): raised, knitted or slanted per mood. */
const BROWS: Record<Expression, [number, number]> = {
  neutral: [-27, -28],
  smile: [-29, -28],
  thoughtful: [-22, -31],
  grin: [-31, -29],
  joyful: [-35, -31],
  surprised: [-40, -36],
  sad: [-37, -22],
  angry: [-19, -31],
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

/** How open each eye shape is, as a share of the round eye's height. */
const OPENING: Record<EyeShape, number> = { round: 1.2, almond: 0.88, narrow: 0.62 };

function eye(place: EyePlace, view: View, expression: Expression, look: CharacterLook, ink: string): string {
  const { x, width } = place;
  const { eyeY: y, eyeSize: size, eyeShape } = look.face;
  // Joy narrows the eyes under raised cheeks rather than closing them: closed eyes left nothing of the
  // character's eyes for a face-recognition model to match.
  const open = (expression === 'surprised' ? 12.5 : expression === 'angry' ? 10 : expression === 'joyful' ? 7 : 11) * size * OPENING[eyeShape];
  const gaze = view === 'front' ? 0 : 4 * width;
  const iris = (expression === 'surprised' ? 7.5 : 8.5) * size * look.face.irisSize * Math.max(0.7, width) * Math.min(1, OPENING[eyeShape] + 0.25);
  // Almond eyes lift at the outer corner; which corner is outer depends on the eye's side of the face.
  const outerLift = eyeShape === 'almond' ? (x < 0 ? -1 : 1) * 3 : 0;
  return (
    ellipse(x, y, 14 * width * size, open, `fill="#fbfbf8" stroke="${ink}" stroke-width="2.5"`) +
    circle(x + gaze, y + 1, iris, `fill="${look.eyes}"`) +
    circle(x + gaze, y + 1, iris * 0.48, 'fill="#141414"') +
    circle(x + gaze + 3 * size, y - 2.5 * size, 2.4 * size, 'fill="#ffffff"') +
    // Upper lid line: the strongest stroke on a cartoon face.
    path(`M ${n(x - 15 * width * size)} ${n(y - 1 - Math.min(0, outerLift))} Q ${n(x)} ${n(y - open - 4)} ${n(x + 15 * width * size)} ${n(y - 2 - Math.max(0, outerLift))}`, stroke(ink, 4)) +
    (look.face.lashes ? lashes(place, y - open - 1, x < 0 ? -1 : 1, size, ink) : '') +
    (expression === 'joyful' ? path(`M ${n(x - 13 * width * size)} ${n(y + open + 3)} Q ${n(x)} ${n(y + open - 3)} ${n(x + 13 * width * size)} ${n(y + open + 3)}`, stroke(ink, 3)) : '')
  );
}

/** Three short strokes fanning out from the outer end of the upper lid (`side`: which way is outward). */
function lashes(place: EyePlace, lidTop: number, side: 1 | -1, size: number, ink: string): string {
  const outer = place.x + side * 11 * place.width * size;
  let d = '';
  for (const [dx, dy] of [[0, -7], [5, -5], [9, -1]] as const) d += `M ${n(outer - side * 4 * place.width)} ${n(lidTop + 2 + dy / 3)} l ${n(side * dx * place.width * size)} ${n(dy * size)} `;
  return path(d, stroke(ink, 2.5));
}

function brow(place: EyePlace, faceCentre: number, expression: Expression, shape: FaceShape, colour: string): string {
  const inward = faceCentre >= place.x ? 1 : -1;
  const [innerY, outerY] = BROWS[expression];
  const lift = shape.eyeY + shape.browLift - 11 * (shape.eyeSize - 1); // bigger eyes push the brows up
  const inner = place.x + inward * 13 * place.width * shape.eyeSize;
  const outer = place.x - inward * 16 * place.width * shape.eyeSize;
  return path(`M ${n(inner)} ${n(lift + innerY)} Q ${n((inner + outer) / 2)} ${n(lift + Math.min(innerY, outerY) - 4)} ${n(outer)} ${n(lift + outerY)}`, stroke(colour, shape.browWeight));
}

/** Nose strokes per shape, drawn for a nose between y 10 and 40 (front) or jutting right (three-quarter). */
const NOSES: Record<'front' | 'threeQuarter', Record<FaceShape['nose'], string>> = {
  front: {
    line: 'M -3 20 Q -9 33 3 35',
    button: 'M -7 30 Q 0 39 7 30',
    long: 'M -1 8 L -7 36 Q 0 40 6 37',
    wide: 'M -13 28 Q -15 37 -5 37 Q 0 40 5 37 Q 15 37 13 28',
  },
  threeQuarter: {
    line: 'M 24 10 L 38 31 L 25 35',
    button: 'M 28 27 Q 40 31 30 37',
    long: 'M 22 4 L 41 34 L 25 37',
    wide: 'M 22 14 L 40 30 Q 40 39 20 37',
  },
};

function nose(view: View, shape: FaceShape, skin: string): string {
  if (view === 'profile') return ''; // in profile the nose is part of the head's silhouette
  // The nose hangs halfway between the eye line and the mouth, scaled about its tip.
  const drop = ((shape.eyeY - 6) + (shape.mouthY - 54)) / 2;
  const tipX = view === 'front' ? 0 : 30;
  return `<g transform="translate(${n(tipX)} ${n(32 + drop)}) scale(${n(shape.noseSize)}) translate(${n(-tipX)} -32)">${path(NOSES[view][shape.nose], stroke(darken(skin, 0.28), 3.5))}</g>`;
}

const MOUSTACHE = 'M -26 -4 Q -14 -17 0 -9 Q 14 -17 26 -4 Q 14 -4 0 -5 Q -14 -4 -26 -4 Z';

/**
 * Front-on jaw hair: from the sideburns along the jaw and round the chin, its top edge passing under the
 * mouth, so cheeks, mouth and chin line stay visible (a beard over the whole lower face hid it from detectors).
 */
function jawHair(look: CharacterLook, view: View): string {
  const { mouthY } = look.face;
  if (view === 'profile') return `M -16 16 C -12 70 20 104 58 94 C 68 84 70 ${n(mouthY + 8)} 62 ${n(mouthY + 4)} C 50 ${n(mouthY + 10)} 34 ${n(mouthY + 6)} 20 ${n(mouthY - 10)} C 6 40 0 30 -2 16 Z`;
  const w = 72 * look.face.width;
  const chin = (look.face.jaw === 'pointed' ? 118 : 110) * look.face.length;
  return (
    `M ${n(-w)} 4 C ${n(-w)} 74 ${n(-0.5 * w)} ${chin} 0 ${chin} C ${n(0.5 * w)} ${chin} ${n(w)} 74 ${n(w)} 4 L ${n(0.86 * w)} 12 ` +
    `C ${n(0.8 * w)} 40 ${n(0.6 * w)} ${n(mouthY)} ${n(0.4 * w)} ${n(mouthY + 8)} Q 0 ${n(mouthY + 20)} ${n(-0.4 * w)} ${n(mouthY + 8)} ` +
    `C ${n(-0.6 * w)} ${n(mouthY)} ${n(-0.8 * w)} 40 ${n(-0.86 * w)} 12 Z`
  );
}

/** Beard, moustache or stubble, in the hair's colour (stubble: a shadow of the skin's). */
function facialHair(view: View, look: CharacterLook): string {
  const kind = look.face.facialHair;
  if (kind === 'none') return '';
  const { mouthX, mouthWidth } = layout(view, look.face);
  const edge = darken(look.hair, 0.45);
  const moustache = `<g transform="translate(${n(mouthX)} ${n(look.face.mouthY - 6)}) scale(${n(mouthWidth)} 1)">${inked(path(MOUSTACHE, `fill="${look.hair}"`), edge, 1.5)}</g>`;
  if (kind === 'moustache') return moustache;
  const place = view === 'threeQuarter' ? 'translate(14 0) scale(0.88 1)' : '';
  const jaw = jawHair(look, view);
  if (kind === 'stubble') return `<g transform="${place}">${path(jaw, `fill="${darken(look.skin, 0.45)}" fill-opacity="0.32"`)}</g>`;
  return `<g transform="${place}">${inked(path(jaw, `fill="${look.hair}"`), edge, INK / 2)}</g>` + moustache;
}

function mouth(view: View, expression: Expression, look: CharacterLook): string {
  const spec = MOUTHS[expression];
  const { mouthX, mouthWidth } = layout(view, look.face);
  const lip = mix(look.skin, '#7a1f24', 0.65);
  const lipWidth = look.face.fullLips ? 1.7 : 1;
  let shapes = '';
  if (spec.fill) shapes += path(spec.fill, `fill="#5a1820" stroke="${lip}" stroke-width="${n(3 * lipWidth)}" stroke-linejoin="round"`);
  if (spec.teeth) shapes += path(spec.teeth, 'fill="#fbfbf6"');
  if (spec.line) shapes += path(spec.line, stroke(lip, spec.width * lipWidth));
  if (spec.line && look.face.fullLips) shapes += path('M -10 9 Q 0 14 10 9', stroke(mix(look.skin, '#7a1f24', 0.35), 4));
  return `<g transform="translate(${n(mouthX)} ${n(look.face.mouthY)}) scale(${n(mouthWidth)} 1)">${shapes}</g>`;
}

function cheeks(view: View, expression: Expression, look: CharacterLook): string {
  const places = layout(view, look.face).eyes;
  const y = look.face.eyeY;
  let marks = '';
  if (expression === 'smile' || expression === 'grin' || expression === 'joyful') {
    for (const place of places) marks += ellipse(place.x, y + 34, 12 * place.width, 7, 'fill="#ff6f6f" fill-opacity="0.3"');
  }
  if (look.freckles) {
    const dot = darken(look.skin, 0.3);
    for (const place of places) for (const [dx, dy] of [[-6, 24], [2, 28], [8, 23]] as const) marks += circle(place.x + dx * place.width, y + dy, 2, `fill="${dot}"`);
  }
  return marks;
}

/** Eyes, brows, nose, facial hair, mouth and cheeks for one view and mood. */
export function faceFeatures(look: CharacterLook, view: View, expression: Expression): string {
  const ink = '#2a1c1c';
  const browColour = darken(look.hair, 0.25);
  const { eyes, faceCentre } = layout(view, look.face);
  return (
    cheeks(view, expression, look) +
    eyes.map((place) => eye(place, view, expression, look, ink) + brow(place, faceCentre, expression, look.face, browColour)).join('') +
    nose(view, look.face, look.skin) +
    facialHair(view, look) +
    mouth(view, expression, look)
  );
}

/** Where glasses attach: the eye centres, per view. */
export function eyePlaces(view: View, shape: FaceShape): readonly EyePlace[] {
  return layout(view, shape).eyes;
}

/** Ear centres per view (the far ear is hidden when the head turns); glasses hook onto them. */
export function earPlaces(view: View, shape: FaceShape): number[] {
  if (view === 'profile') return [-12];
  return view === 'front' ? [-72 * shape.width, 72 * shape.width] : [-62 * shape.width];
}
