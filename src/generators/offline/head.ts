// The whole head in head coordinates: silhouette, ears, face, hair and head-worn accessories. Split in two
// layers because long hair and buns hang behind the body while the rest sits in front of it.
import { lighten, outlineFor } from './color.js';
import type { Expression, View } from './composition.js';
import { EYE_Y, eyePlaces, faceFeatures } from './face.js';
import { hairShapes } from './hair.js';
import type { CharacterLook } from './look.js';
import { circle, ellipse, INK, inked, n, path, stroke } from './svg.js';

const SILHOUETTE: Record<View, string> = {
  front: ellipse(0, 0, 72, 88, '') + path('M -62 36 Q -40 96 0 99 Q 40 96 62 36 Z', ''),
  threeQuarter: ellipse(-4, 0, 70, 88, '') + path('M -52 40 Q -20 99 22 96 Q 56 84 66 28 Z', ''),
  profile:
    ellipse(-8, -4, 72, 86, '') +
    path('M 36 -62 Q 64 -42 64 -8 L 84 26 L 66 32 Q 71 46 63 56 Q 68 72 56 84 Q 28 100 -12 90 Z', ''),
};

/** Ear centres per view (the far ear is hidden when the head turns). */
const EARS: Record<View, number[]> = { front: [-72, 72], threeQuarter: [-62], profile: [-12] };

export interface HeadLayers {
  /** Behind the body: long hair, ponytail, bun. */
  back: string;
  /** In front of the body: head, face, hair cap, glasses, headband. */
  front: string;
}

function ears(look: CharacterLook, view: View, skinInk: string): string {
  let shapes = '';
  for (const x of EARS[view]) {
    shapes += inked(ellipse(x, 8, 13, 21, `fill="${look.skin}"`), skinInk, INK);
    shapes += path(`M ${n(x - 4)} 0 Q ${n(x + 4)} 8 ${n(x - 3)} 18`, stroke(skinInk, 2.5));
  }
  return shapes;
}

function earrings(look: CharacterLook, view: View): string {
  return EARS[view].map((x) => circle(x, 34, 7, `fill="${look.accent}" stroke="${outlineFor(look.accent)}" stroke-width="2"`)).join('');
}

function glasses(view: View): string {
  const frame = stroke('#1f1f24', 4.5);
  const lenses = eyePlaces(view)
    .map((place) => ellipse(place.x, EYE_Y, 20 * place.width, 17, `fill="#cfe6ff" fill-opacity="0.18" stroke="#1f1f24" stroke-width="4.5"`))
    .join('');
  if (view === 'profile') return lenses + path(`M 36 ${EYE_Y - 4} L -6 ${EYE_Y - 2}`, frame);
  const [first, second] = eyePlaces(view);
  if (!first || !second) return lenses;
  const bridge = path(`M ${n(first.x + 20 * first.width)} ${EYE_Y - 3} Q ${n((first.x + second.x) / 2)} ${EYE_Y - 10} ${n(second.x - 20 * second.width)} ${EYE_Y - 3}`, frame);
  const arms = view === 'front' ? path(`M -48 ${EYE_Y - 4} L -70 ${EYE_Y - 2} M 48 ${EYE_Y - 4} L 70 ${EYE_Y - 2}`, frame) : path(`M ${n(first.x - 20 * first.width)} ${EYE_Y - 4} L -58 ${EYE_Y - 2}`, frame);
  return lenses + bridge + arms;
}

function headband(look: CharacterLook, view: View): string {
  const d = view === 'profile' ? 'M 50 -52 C 20 -82 -50 -80 -86 -24' : 'M -84 -26 C -60 -84 60 -84 84 -26';
  return path(d, stroke(outlineFor(look.accent), 18)) + path(d, stroke(look.accent, 11));
}

export function drawHead(look: CharacterLook, view: View, expression: Expression): HeadLayers {
  const hair = hairShapes(look, view);
  const hairInk = outlineFor(look.hair);
  const skinInk = outlineFor(look.skin);
  // Three-quarter heads reuse the front hair shapes, slid toward the back of the head.
  const hairShift = view === 'threeQuarter' ? 'translate(-8 0)' : '';
  const highlight = view === 'profile' ? 'M 20 -74 Q -20 -92 -56 -70' : 'M -50 -78 Q -20 -100 20 -96';

  const back = hair.back ? `<g transform="${hairShift}" fill="${look.hair}">${inked(hair.back, hairInk, INK)}</g>` : '';
  // Front-on, ears stick out from behind the head; in profile the one ear sits on the side of the skull.
  const earsAndRings = ears(look, view, skinInk) + (look.accessory === 'earrings' ? earrings(look, view) : '');
  const front =
    (view === 'profile' ? '' : earsAndRings) +
    `<g fill="${look.skin}">${inked(SILHOUETTE[view], skinInk, INK)}</g>` +
    (view === 'profile' ? earsAndRings : '') +
    faceFeatures(look, view, expression) +
    `<g transform="${hairShift}" fill="${look.hair}">${inked(hair.cap, hairInk, INK)}${path(highlight, `${stroke(lighten(look.hair, 0.35), 7)} stroke-opacity="0.55"`)}</g>` +
    (look.accessory === 'glasses' ? glasses(view) : '') +
    (look.accessory === 'headband' ? headband(look, view) : '');
  return { back, front };
}
