// The whole head in head coordinates: silhouette, ears, face, hair and head-worn accessories. Split in two
// layers because long hair and buns hang behind the body while the rest sits in front of it.
import { lighten, outlineFor } from './color.js';
import type { Expression, View } from './composition.js';
import { earPlaces, faceFeatures } from './face.js';
import type { FaceShape, Jaw } from './faceShape.js';
import { glasses } from './glasses.js';
import { hairShapes } from './hair.js';
import type { CharacterLook } from './look.js';
import { circle, ellipse, INK, inked, n, path, stroke } from './svg.js';

/** Jaws for a head 72 units wide; `silhouette` stretches them to the character's face width. */
const JAWS: Record<'front' | 'threeQuarter', Record<Jaw, string>> = {
  front: {
    round: 'M -62 36 Q -40 96 0 99 Q 40 96 62 36 Z',
    pointed: 'M -60 30 Q -36 88 0 108 Q 36 88 60 30 Z',
    square: 'M -66 30 L -58 80 Q -43 100 0 100 Q 43 100 58 80 L 66 30 Z',
  },
  threeQuarter: {
    round: 'M -52 40 Q -20 99 22 96 Q 56 84 66 28 Z',
    pointed: 'M -50 36 Q -16 96 28 106 Q 58 80 66 24 Z',
    square: 'M -54 36 L -40 84 Q -10 100 26 99 Q 56 88 68 26 Z',
  },
};

const PROFILE = ellipse(-8, -4, 72, 86, '') + path('M 36 -62 Q 64 -42 64 -8 L 84 26 L 66 32 Q 71 46 63 56 Q 68 72 56 84 Q 28 100 -12 90 Z', '');

/** The head's outline. In profile the face width does not show, and the nose is part of the outline. */
function silhouette(view: View, face: FaceShape): string {
  if (view === 'profile') return PROFILE;
  const cranium = view === 'front' ? ellipse(0, 0, 72, 88, '') : ellipse(-4, 0, 70, 88, '');
  return `<g transform="scale(${n(face.width)} 1)">${cranium}<g transform="scale(1 ${n(face.length)})">${path(JAWS[view][face.jaw], '')}</g></g>`;
}

export interface HeadLayers {
  /** Behind the body: long hair, ponytail, bun. */
  back: string;
  /** In front of the body: head, face, hair cap, glasses, headband. */
  front: string;
}

function ears(look: CharacterLook, view: View, skinInk: string): string {
  let shapes = '';
  for (const x of earPlaces(view, look.face)) {
    shapes += inked(ellipse(x, 8, 13, 21, `fill="${look.skin}"`), skinInk, INK);
    shapes += path(`M ${n(x - 4)} 0 Q ${n(x + 4)} 8 ${n(x - 3)} 18`, stroke(skinInk, 2.5));
  }
  return shapes;
}

function earrings(look: CharacterLook, view: View): string {
  return earPlaces(view, look.face).map((x) => circle(x, 34, 7, `fill="${look.accent}" stroke="${outlineFor(look.accent)}" stroke-width="2"`)).join('');
}

function headband(look: CharacterLook, view: View): string {
  const d = view === 'profile' ? 'M 50 -52 C 20 -82 -50 -80 -86 -24' : 'M -84 -26 C -60 -84 60 -84 84 -26';
  return path(d, stroke(outlineFor(look.accent), 18)) + path(d, stroke(look.accent, 11));
}

export function drawHead(look: CharacterLook, view: View, expression: Expression): HeadLayers {
  const hair = hairShapes(look, view);
  const hairInk = outlineFor(look.hair);
  const skinInk = outlineFor(look.skin);
  // Three-quarter heads reuse the front hair shapes, slid toward the back of the head; hair fits the face's width.
  const widen = view === 'profile' ? '' : ` scale(${n(look.face.width)} 1)`;
  const hairShift = (view === 'threeQuarter' ? 'translate(-8 0)' : '') + widen;
  const highlight = view === 'profile' ? 'M 20 -74 Q -20 -92 -56 -70' : 'M -50 -78 Q -20 -100 20 -96';

  const back = hair.back ? `<g transform="${hairShift}" fill="${look.hair}">${inked(hair.back, hairInk, INK)}</g>` : '';
  // Front-on, ears stick out from behind the head; in profile the one ear sits on the side of the skull.
  const earsAndRings = ears(look, view, skinInk) + (look.accessory === 'earrings' ? earrings(look, view) : '');
  const front =
    (view === 'profile' ? '' : earsAndRings) +
    `<g fill="${look.skin}">${inked(silhouette(view, look.face), skinInk, INK)}</g>` +
    (view === 'profile' ? earsAndRings : '') +
    faceFeatures(look, view, expression) +
    `<g transform="${hairShift}" fill="${look.hair}">${inked(hair.cap, hairInk, INK)}${path(highlight, `${stroke(lighten(look.hair, 0.35), 7)} stroke-opacity="0.55"`)}</g>` +
    (look.accessory === 'glasses' ? glasses(view, look.face) : '') +
    (look.accessory === 'headband' ? headband(look, view) : '');
  return { back, front };
}
