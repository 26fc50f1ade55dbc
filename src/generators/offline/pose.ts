// Skeletons: where the joints are for each pose, in world units (feet on the ground at y≈910, facing right
// when seen from the side). The body drawing only connects these points, so a new pose is a new table.
import type { Pose, View } from './composition.js';
import { pt, type Point } from './svg.js';

/** Shoulder (or hip), elbow (or knee), hand (or foot). */
export type Limb = [Point, Point, Point];

export interface Skeleton {
  head: Point;
  /** Base of the neck, where it meets the torso. */
  neck: Point;
  /** Outline of the torso: shoulders, waist and hips, left then right (back then front from the side). */
  torso: { shoulders: [Point, Point]; waist: [Point, Point]; hips: [Point, Point] };
  /** [far or viewer's left, near or viewer's right]. */
  arms: [Limb, Limb];
  legs: [Limb, Limb];
  /** Seen from the side: far limbs are shaded and shoes point forward. */
  side: boolean;
  /** y of the floor under the feet, for the shadow. */
  floor: number;
}

const STANDING: Skeleton = {
  head: pt(0, 130),
  neck: pt(0, 246),
  torso: { shoulders: [pt(-112, 252), pt(112, 252)], waist: [pt(-86, 420), pt(86, 420)], hips: [pt(-92, 560), pt(92, 560)] },
  arms: [
    [pt(-96, 272), pt(-124, 402), pt(-132, 522)],
    [pt(96, 272), pt(124, 402), pt(132, 522)],
  ],
  legs: [
    [pt(-50, 548), pt(-58, 732), pt(-64, 896)],
    [pt(50, 548), pt(58, 732), pt(64, 896)],
  ],
  side: false,
  floor: 920,
};

const WAVING: Skeleton = {
  ...STANDING,
  arms: [STANDING.arms[0], [pt(96, 272), pt(182, 346), pt(214, 226)]],
};

const ACTION: Skeleton = {
  head: pt(16, 142),
  neck: pt(8, 252),
  torso: { shoulders: [pt(-102, 266), pt(116, 250)], waist: [pt(-78, 424), pt(98, 416)], hips: [pt(-84, 556), pt(98, 550)] },
  arms: [
    [pt(-86, 284), pt(-192, 362), pt(-258, 296)],
    [pt(100, 268), pt(192, 186), pt(214, 74)],
  ],
  legs: [
    [pt(-44, 546), pt(-96, 724), pt(-168, 880)],
    [pt(54, 544), pt(164, 628), pt(148, 800)],
  ],
  side: false,
  floor: 920,
};

const STANDING_SIDE: Skeleton = {
  head: pt(6, 130),
  neck: pt(6, 246),
  torso: { shoulders: [pt(-54, 252), pt(58, 252)], waist: [pt(-46, 420), pt(52, 420)], hips: [pt(-58, 560), pt(56, 560)] },
  arms: [
    [pt(14, 274), pt(24, 404), pt(30, 520)],
    [pt(-4, 276), pt(2, 406), pt(12, 522)],
  ],
  legs: [
    [pt(6, 548), pt(12, 732), pt(14, 896)],
    [pt(-6, 548), pt(-2, 732), pt(-4, 896)],
  ],
  side: true,
  floor: 920,
};

const SITTING: Skeleton = {
  head: pt(14, 196),
  neck: pt(8, 310),
  torso: { shoulders: [pt(-50, 316), pt(62, 316)], waist: [pt(-44, 470), pt(56, 470)], hips: [pt(-58, 616), pt(66, 616)] },
  arms: [
    [pt(22, 336), pt(46, 462), pt(128, 530)],
    [pt(2, 340), pt(28, 468), pt(112, 556)],
  ],
  legs: [
    [pt(0, 592), pt(184, 586), pt(182, 784)],
    [pt(12, 602), pt(204, 600), pt(208, 800)],
  ],
  side: true,
  floor: 826,
};

/** Narrows a front-on skeleton as the body turns, keeping the centre line. */
function turned(skeleton: Skeleton, squeeze: number): Skeleton {
  const s = (p: Point): Point => pt(p.x * squeeze, p.y);
  const limb = (l: Limb): Limb => [s(l[0]), s(l[1]), s(l[2])];
  const { shoulders, waist, hips } = skeleton.torso;
  return {
    ...skeleton,
    torso: { shoulders: [s(shoulders[0]), s(shoulders[1])], waist: [s(waist[0]), s(waist[1])], hips: [s(hips[0]), s(hips[1])] },
    arms: [limb(skeleton.arms[0]), limb(skeleton.arms[1])],
    legs: [limb(skeleton.legs[0]), limb(skeleton.legs[1])],
  };
}

export function skeletonFor(pose: Pose, view: View): Skeleton {
  switch (pose) {
    case 'action':
      return ACTION;
    case 'sitting':
      return SITTING;
    case 'waving':
      return WAVING;
    case 'standing':
      return view === 'profile' ? STANDING_SIDE : view === 'threeQuarter' ? turned(STANDING, 0.84) : STANDING;
  }
}
