// Puts one picture together: camera (viewBox) from the composition, backdrop, then the character from back
// to front. Pure string building, so the SVG is the renderer's whole, inspectable output before rasterising.
import type { ImageRequest } from '../../ports.js';
import { drawBackdrop, type Bounds } from './backdrop.js';
import { chair, drawBody, floorShadow, outfitFor } from './body.js';
import { compose, type Composition } from './composition.js';
import { readDirection } from './direction.js';
import { drawHead } from './head.js';
import { deriveLook, type CharacterLook } from './look.js';
import { skeletonFor } from './pose.js';
import { n } from './svg.js';

/**
 * The world rectangle shown: the smallest one with the request's aspect ratio that holds the framing's full
 * height and the subject's width, so nothing is stretched or cropped and a tall picture of a standing figure
 * fills with the figure rather than with floor and sky.
 */
function cameraBounds(composition: Composition, width: number, height: number): Bounds {
  const { cx, cy, halfHeight, halfWidth } = composition.framing;
  const aspect = width / height;
  const halfH = Math.max(halfHeight, halfWidth / aspect);
  const halfW = halfH * aspect;
  return { x: cx - halfW, y: cy - halfH, width: halfW * 2, height: halfH * 2 };
}

function motionLines(): string {
  const lines = [
    [-300, 200, -420, 190],
    [-320, 420, -470, 430],
    [-260, 620, -380, 640],
    [250, 520, 360, 540],
    [280, 330, 400, 320],
  ];
  return lines.map(([x1, y1, x2, y2]) => `<path d="M ${x1} ${y1} L ${x2} ${y2}" stroke="#ffffff" stroke-opacity="0.75" stroke-width="10" stroke-linecap="round"/>`).join('');
}

function character(look: CharacterLook, composition: Composition): string {
  const skeleton = skeletonFor(composition.pose, composition.view);
  const outfit = outfitFor(look, composition.alternateOutfit);
  const head = drawHead(look, composition.view, composition.expression);
  const headPlace = `translate(${n(skeleton.head.x)} ${n(skeleton.head.y)}) rotate(${n(composition.headTilt)})`;
  const figure =
    (composition.pose === 'sitting' ? chair(look) : '') +
    floorShadow(skeleton) +
    (head.back ? `<g transform="${headPlace}">${head.back}</g>` : '') +
    drawBody(look, skeleton, outfit) +
    `<g transform="${headPlace}">${head.front}</g>`;
  // Facing left is the facing-right drawing mirrored about the figure's centre line.
  return composition.facing < 0 ? `<g transform="scale(-1 1)">${figure}</g>` : figure;
}

/**
 * The SVG for one request: the character's look (from the subject) drawn in the variation's composition; a
 * 'custom' image is drawn in the setting its words name, if they name one the renderer knows.
 */
export function characterSvg(request: ImageRequest): string {
  const own = deriveLook(request.subject);
  const setting = request.variation === 'custom' ? readDirection(request.direction ?? '').setting : null;
  const look = setting ? { ...own, setting } : own;
  const composition = compose(request.variation, request.seed, request.direction);
  const bounds = cameraBounds(composition, request.width, request.height);
  const margin = 40;
  const backdropBounds = { x: bounds.x - margin, y: bounds.y - margin, width: bounds.width + 2 * margin, height: bounds.height + 2 * margin };
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${request.width}" height="${request.height}" viewBox="${n(bounds.x)} ${n(bounds.y)} ${n(bounds.width)} ${n(bounds.height)}">` +
    drawBackdrop(backdropBounds, look, composition) +
    (composition.motionLines ? motionLines() : '') +
    character(look, composition) +
    '</svg>'
  );
}
