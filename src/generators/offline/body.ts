// The body on a skeleton: limbs as thick rounded strokes, the torso as one outlined shape, clothing on top.
// "Another outfit" swaps the colour and adds stripes and a different collar, leaving the person unchanged.
import { darken, lighten, mix, outlineFor } from './color.js';
import type { CharacterLook } from './look.js';
import type { Limb, Skeleton } from './pose.js';
import { circle, ellipse, INK, inked, n, path, rect, stroke, type Point } from './svg.js';

const ARM_WIDTH = 40;
const LEG_WIDTH = 50;

export interface Outfit {
  top: string;
  legs: string;
  /** Stripes across the top: the alternative outfit's mark. */
  patterned: boolean;
}

export function outfitFor(look: CharacterLook, alternate: boolean): Outfit {
  const top = alternate ? look.alternateOutfit : look.outfit;
  return {
    top,
    legs: look.outfitCut === 'dress' ? mix(look.skin, look.trousers, 0.3) : alternate ? darken(look.trousers, 0.25) : look.trousers,
    patterned: alternate,
  };
}

function limbPath(limb: Limb): string {
  const [a, b, c] = limb;
  return `M ${n(a.x)} ${n(a.y)} L ${n(b.x)} ${n(b.y)} L ${n(c.x)} ${n(c.y)}`;
}

/** A limb in one colour with its ink outline; `upperOnly` draws only the first segment (short sleeves). */
function limb(limbJoints: Limb, colour: string, width: number, upperOnly = false): string {
  const [a, b] = limbJoints;
  const d = upperOnly ? `M ${n(a.x)} ${n(a.y)} L ${n((a.x + b.x) / 2)} ${n((a.y + b.y) / 2)}` : limbPath(limbJoints);
  return path(d, stroke(outlineFor(colour), width + INK * 2)) + path(d, stroke(colour, width));
}

function arm(joints: Limb, look: CharacterLook, outfit: Outfit, shade: number): string {
  const sleeve = darken(outfit.top, shade);
  const skin = darken(look.skin, shade);
  const hand = joints[2];
  const bare = look.outfitCut === 'dress' && !outfit.patterned;
  return (
    (bare ? limb(joints, skin, ARM_WIDTH - 8) + limb(joints, sleeve, ARM_WIDTH + 4, true) : limb(joints, sleeve, ARM_WIDTH)) +
    circle(hand.x, hand.y + 4, 19, `fill="${skin}" stroke="${outlineFor(look.skin)}" stroke-width="${INK}"`)
  );
}

function leg(joints: Limb, look: CharacterLook, outfit: Outfit, shade: number, side: boolean): string {
  const foot = joints[2];
  const shoe = darken(look.shoes, shade);
  const toe = side ? 16 : Math.sign(foot.x) * 6;
  return limb(joints, darken(outfit.legs, shade), LEG_WIDTH) + ellipse(foot.x + toe, foot.y + 10, side ? 40 : 31, 18, `fill="${shoe}" stroke="${outlineFor(look.shoes)}" stroke-width="${INK}"`);
}

function torsoOutline(skeleton: Skeleton): string {
  const { shoulders: [sl, sr], waist: [wl, wr], hips: [hl, hr] } = skeleton.torso;
  return (
    `M ${n(sl.x)} ${n(sl.y + 22)} Q ${n(sl.x + 2)} ${n(sl.y)} ${n(sl.x + 32)} ${n(sl.y - 4)} ` +
    `L ${n(sr.x - 32)} ${n(sr.y - 4)} Q ${n(sr.x - 2)} ${n(sr.y)} ${n(sr.x)} ${n(sr.y + 22)} ` +
    `L ${n(wr.x)} ${n(wr.y)} L ${n(hr.x)} ${n(hr.y)} L ${n(hl.x)} ${n(hl.y)} L ${n(wl.x)} ${n(wl.y)} Z`
  );
}

/**
 * Diagonal stripes clipped to the torso. Drawn as strokes under a clip path rather than an SVG <pattern>,
 * which resvg rasterises tile by tile at twice the cost of the whole picture.
 */
function stripes(skeleton: Skeleton, outline: string, colour: string): string {
  const { shoulders: [sl, sr], hips: [hl, hr] } = skeleton.torso;
  const left = Math.min(sl.x, hl.x);
  const right = Math.max(sr.x, hr.x);
  const top = Math.min(sl.y, sr.y) - 10;
  const bottom = Math.max(hl.y, hr.y);
  const rise = (right - left) * 0.7;
  let d = '';
  for (let y = top; y < bottom + rise; y += 36) d += `M ${n(left)} ${n(y)} L ${n(right)} ${n(y - rise)} `;
  return `<clipPath id="torso"><path d="${outline}"/></clipPath><g clip-path="url(#torso)">${path(d, `fill="none" stroke="${colour}" stroke-width="13"`)}</g>`;
}

function torso(skeleton: Skeleton, outfit: Outfit): string {
  const outline = torsoOutline(skeleton);
  return inked(path(outline, `fill="${outfit.top}"`), outlineFor(outfit.top), INK) + (outfit.patterned ? stripes(skeleton, outline, lighten(outfit.top, 0.45)) : '');
}

/** A skirt from the waist to below the knees: flared front-on, draped over the thighs from the side. */
function skirt(skeleton: Skeleton, colour: string): string {
  const { waist: [wl, wr], hips: [hl] } = skeleton.torso;
  const knees = [skeleton.legs[0][1], skeleton.legs[1][1]];
  const hem = Math.max(...knees.map((k) => k.y)) + (skeleton.side ? 34 : 10);
  const front = Math.max(wr.x, ...knees.map((k) => k.x)) + 34;
  const back = Math.min(skeleton.side ? hl.x : wl.x, ...knees.map((k) => k.x)) - (skeleton.side ? 12 : 34);
  // From the side the skirt runs along the thighs to the knee before it falls.
  const knee = skeleton.side ? ` L ${n(front)} ${n(Math.min(...knees.map((k) => k.y)) - 30)}` : '';
  const d = `M ${n(wl.x)} ${n(wl.y)} L ${n(wr.x)} ${n(wr.y)}${knee} L ${n(front)} ${n(hem)} Q ${n((back + front) / 2)} ${n(hem + 16)} ${n(back)} ${n(hem)} Z`;
  return inked(path(d, `fill="${colour}"`), outlineFor(colour), INK);
}

function neckAndCollar(skeleton: Skeleton, look: CharacterLook, outfit: Outfit): string {
  const { neck, head } = skeleton;
  const neckTop: Point = { x: (neck.x + head.x) / 2, y: head.y + 60 };
  const neckShape = path(`M ${n(neckTop.x - 27)} ${n(neckTop.y)} L ${n(neck.x - 31)} ${n(neck.y + 10)} L ${n(neck.x + 31)} ${n(neck.y + 10)} L ${n(neckTop.x + 27)} ${n(neckTop.y)} Z`, `fill="${look.skin}"`);
  const trim = darken(outfit.top, 0.3);
  // Collars tell outfits apart at a glance: a V neck for the alternative, a round neck otherwise.
  const collar = outfit.patterned
    ? path(`M ${n(neck.x - 40)} ${n(neck.y + 2)} L ${n(neck.x)} ${n(neck.y + 58)} L ${n(neck.x + 40)} ${n(neck.y + 2)}`, stroke(trim, 9))
    : path(`M ${n(neck.x - 36)} ${n(neck.y + 2)} Q ${n(neck.x)} ${n(neck.y + 30)} ${n(neck.x + 36)} ${n(neck.y + 2)}`, stroke(trim, 9));
  return inked(neckShape, outlineFor(look.skin), INK) + collar;
}

/** An open jacket: an inner shirt between two lapels, and buttons down the front. */
function jacketFront(skeleton: Skeleton, outfit: Outfit, look: CharacterLook): string {
  if (look.outfitCut !== 'jacket' || outfit.patterned || skeleton.side) return '';
  const { neck } = skeleton;
  const { waist: [wl, wr] } = skeleton.torso;
  const mid = (wl.x + wr.x) / 2;
  const inner = path(`M ${n(neck.x - 34)} ${n(neck.y + 4)} L ${n(neck.x + 34)} ${n(neck.y + 4)} L ${n(mid)} ${n(wl.y + 20)} Z`, `fill="${lighten(look.accent, 0.55)}"`);
  const lapels = path(`M ${n(neck.x - 40)} ${n(neck.y)} L ${n(mid - 6)} ${n(wl.y + 24)} M ${n(neck.x + 40)} ${n(neck.y)} L ${n(mid + 6)} ${n(wl.y + 24)}`, stroke(darken(outfit.top, 0.4), 7));
  const buttons = [0.55, 0.8].map((t) => circle(mid + 14, neck.y + (wl.y + 120 - neck.y) * t, 6, `fill="${look.accent}"`)).join('');
  return inner + lapels + buttons;
}

function belt(skeleton: Skeleton, look: CharacterLook, outfit: Outfit): string {
  if (look.outfitCut === 'dress') return '';
  const { hips: [hl, hr] } = skeleton.torso;
  return path(`M ${n(hl.x + 4)} ${n(hl.y - 16)} L ${n(hr.x - 4)} ${n(hr.y - 16)}`, `fill="none" stroke="${darken(outfit.legs, 0.45)}" stroke-width="14"`);
}

function scarf(skeleton: Skeleton, look: CharacterLook): string {
  if (look.accessory !== 'scarf') return '';
  const { neck } = skeleton;
  const band = ellipse(neck.x, neck.y - 4, 46, 20, `fill="${look.accent}"`);
  const tail = path(`M ${n(neck.x + 14)} ${n(neck.y + 6)} L ${n(neck.x + 34)} ${n(neck.y + 110)} L ${n(neck.x + 6)} ${n(neck.y + 112)} Z`, `fill="${look.accent}"`);
  return inked(tail + band, outlineFor(look.accent), INK);
}

/** Props that belong to the pose, drawn behind the body: the chair under a sitting character. */
export function chair(look: CharacterLook): string {
  const wood = mix('#8a5a34', look.trousers, 0.15);
  const shapes = rect(-104, 336, 26, 312, `fill="${darken(wood, 0.15)}"`) + rect(-96, 626, 300, 26, `fill="${wood}"`) + rect(-92, 650, 18, 170, `fill="${darken(wood, 0.1)}"`) + rect(176, 650, 18, 170, `fill="${darken(wood, 0.1)}"`);
  return inked(shapes, outlineFor(wood), INK);
}

export function floorShadow(skeleton: Skeleton): string {
  const feet = [skeleton.legs[0][2], skeleton.legs[1][2]];
  const centre = (Math.min(...feet.map((f) => f.x)) + Math.max(...feet.map((f) => f.x))) / 2;
  const spread = Math.abs(feet[0]!.x - feet[1]!.x) / 2 + 90;
  return ellipse(centre + (skeleton.side ? 20 : 0), skeleton.floor, spread, 22, 'fill="#000000" fill-opacity="0.16"');
}

/** Everything below the head, far side first so near limbs overlap it. */
export function drawBody(look: CharacterLook, skeleton: Skeleton, outfit: Outfit): string {
  const farShade = skeleton.side ? 0.18 : 0;
  const [farArm, nearArm] = skeleton.arms;
  const [farLeg, nearLeg] = skeleton.legs;
  return (
    leg(farLeg, look, outfit, farShade, skeleton.side) +
    leg(nearLeg, look, outfit, 0, skeleton.side) +
    // From the side the far arm is behind the torso; front-on both arms hang over its edges.
    (skeleton.side ? arm(farArm, look, outfit, farShade) : '') +
    torso(skeleton, outfit) +
    (look.outfitCut === 'dress' ? skirt(skeleton, outfit.top) : '') +
    jacketFront(skeleton, outfit, look) +
    belt(skeleton, look, outfit) +
    neckAndCollar(skeleton, look, outfit) +
    scarf(skeleton, look) +
    (skeleton.side ? '' : arm(farArm, look, outfit, 0)) +
    arm(nearArm, look, outfit, 0)
  );
}
