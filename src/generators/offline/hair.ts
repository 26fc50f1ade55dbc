// Hair shapes in head coordinates (head centre at 0,0, about 72 wide and 88 tall each side, facing right when
// not front-on). `back` sits behind head and body (long hair, buns); `cap` covers the top of the head.
import type { View } from './composition.js';
import type { CharacterLook } from './look.js';
import { circle, n, path } from './svg.js';

export interface HairShapes {
  back: string;
  cap: string;
}

/** Front caps; `drop` lowers the fringe's inner edge (the hairline) while the crown stays where it is. */
const FRONT_CAP: Record<CharacterLook['hairCap'], (drop: number) => string> = {
  smooth: (d) =>
    `M -84 16 C -96 -70 -50 -112 0 -112 C 50 -112 96 -70 84 16 L 72 6 C 70 ${n(-30 + 0.6 * d)} 50 ${n(-52 + d)} 20 ${n(-58 + d)} Q -10 ${n(-40 + d)} -40 ${n(-54 + d)} C -62 ${n(-44 + d)} -72 ${n(-20 + 0.6 * d)} -72 6 Z`,
  // Spikes reach 10 units lower than a smooth fringe, so they start that much higher.
  spiky: (d) =>
    `M -82 14 L -92 -56 L -72 -74 L -84 -118 L -42 -100 L -30 -146 L 0 -108 L 22 -150 L 40 -102 L 80 -128 L 72 -78 L 94 -58 L 82 14 L 70 -20 L 48 ${n(-52 + d)} L 32 ${n(-40 + d)} L 16 ${n(-66 + d)} L 0 ${n(-46 + d)} L -20 ${n(-66 + d)} L -36 ${n(-42 + d)} L -52 ${n(-56 + d)} L -70 -16 Z`,
  curly: (d) =>
    `M -84 16 C -96 -70 -50 -112 0 -112 C 50 -112 96 -70 84 16 L 72 6 C 70 ${n(-30 + 0.6 * d)} 50 ${n(-52 + d)} 0 ${n(-54 + d)} C -50 ${n(-52 + d)} -70 ${n(-30 + 0.6 * d)} -72 6 Z`,
};

const PROFILE_CAP: Record<CharacterLook['hairCap'], string> = {
  smooth: 'M 60 -40 C 52 -96 -10 -116 -50 -98 C -94 -78 -100 -10 -80 42 L -50 44 C -48 10 -34 -20 -12 -30 Q 20 -50 60 -40 Z',
  spiky:
    'M 60 -40 L 40 -96 L 20 -82 L 6 -132 L -20 -96 L -48 -130 L -56 -88 L -100 -100 L -84 -50 L -112 -30 L -82 0 L -80 42 L -50 44 L -48 10 L -34 -20 L -12 -30 L 20 -50 Z',
  curly: 'M 60 -40 C 52 -96 -10 -116 -50 -98 C -94 -78 -100 -10 -80 42 L -50 44 C -48 10 -34 -20 -12 -30 Q 20 -50 60 -40 Z',
};

const FRONT_BACK: Record<CharacterLook['hairLength'], string> = {
  cropped: '',
  bob: 'M -92 -30 C -106 30 -102 84 -86 104 L 86 104 C 102 84 106 30 92 -30 Z',
  long: 'M -94 -30 C -114 80 -112 200 -102 272 L 102 272 C 112 200 114 80 94 -30 Z',
};

const PROFILE_BACK: Record<CharacterLook['hairLength'], string> = {
  cropped: '',
  bob: 'M -30 -70 C -104 -50 -104 60 -84 104 L -26 104 C -36 60 -36 20 -20 0 Z',
  long: 'M -30 -70 C -108 -50 -114 150 -104 272 L -34 272 C -44 150 -38 60 -20 0 Z',
};

/** Curls: bumps along the cap's outer edge, from one temple over the crown to the other. */
function curls(view: View): string {
  const count = 11;
  let bumps = '';
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    const angle = view === 'profile' ? Math.PI * (0.45 + 1.05 * t) : Math.PI * (1.08 - 1.16 * t);
    bumps += view === 'profile' ? circle(-20 + 86 * Math.cos(angle), -12 - 92 * Math.sin(angle), 24, '') : circle(82 * Math.cos(angle), -6 - 100 * Math.sin(angle), 24, '');
  }
  return bumps;
}

/** Buns and ponytails: on top and to one side front-on; at the back of the head once it turns. */
function extra(look: CharacterLook, view: View): string {
  const frontOn = view === 'front';
  if (look.hairExtra === 'bun') return frontOn ? circle(0, -110, 36, '') : circle(-60, -82, 34, '');
  if (look.hairExtra === 'ponytail') {
    return frontOn
      ? path('M 58 -72 C 122 -62 134 62 104 156 C 96 104 82 40 54 -20 Z', '')
      : path('M -66 -62 C -136 -44 -146 64 -124 166 C -104 104 -98 20 -58 -18 Z', '');
  }
  return '';
}

export function hairShapes(look: CharacterLook, view: View): HairShapes {
  const front = view !== 'profile';
  const back = (front ? FRONT_BACK : PROFILE_BACK)[look.hairLength];
  const cap = path(front ? FRONT_CAP[look.hairCap](look.face.hairline) : PROFILE_CAP[look.hairCap], '') + (look.hairCap === 'curly' ? curls(view) : '');
  return {
    back: (back ? path(back, '') : '') + extra(look, view),
    // The fringe sweeps from the character's own side: the cap drawn mirrored for half of them.
    cap: front && look.face.parting < 0 ? `<g transform="scale(-1 1)">${cap}</g>` : cap,
  };
}
