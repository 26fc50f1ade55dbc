// What is behind the character: a studio backdrop for portraits, a medallion for the avatar, a whole
// environment for "in a background scene". The seed moves only the light and the scattered details.
import { darken, hsl, lighten, mix, outlineFor } from './color.js';
import type { Composition } from './composition.js';
import type { CharacterLook, Setting } from './look.js';
import { Rng } from './random.js';
import { circle, ellipse, inked, n, path, rect } from './svg.js';

/** The world rectangle the picture shows (viewBox), with a margin so nothing edges in from outside. */
export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Ground level of a scene: the standing figure's floor. */
const GROUND = 920;
const HORIZON = 700;

function lightSpot(bounds: Bounds, composition: Composition): string {
  const x = composition.lightSide > 0 ? bounds.x + bounds.width * 0.82 : bounds.x + bounds.width * 0.18;
  return ellipse(x, bounds.y + bounds.height * 0.22, bounds.width * 0.45, bounds.height * 0.4, `fill="#ffffff" fill-opacity="${n(composition.lightStrength)}"`);
}

function studio(bounds: Bounds, look: CharacterLook, composition: Composition): string {
  const hue = look.backdropHue + composition.tintShift;
  const gradient = `<radialGradient id="studio" cx="0.5" cy="0.4" r="0.75"><stop offset="0" stop-color="${hsl(hue, 0.32, 0.84)}"/><stop offset="1" stop-color="${hsl(hue, 0.3, 0.58)}"/></radialGradient>`;
  const floor = rect(bounds.x, GROUND - 30, bounds.width, bounds.y + bounds.height - GROUND + 30, `fill="${hsl(hue, 0.22, 0.5)}"`);
  return `<defs>${gradient}</defs>` + rect(bounds.x, bounds.y, bounds.width, bounds.height, 'fill="url(#studio)"') + lightSpot(bounds, composition) + floor;
}

function medallion(bounds: Bounds, look: CharacterLook, composition: Composition): string {
  const hue = look.backdropHue + composition.tintShift;
  return (
    rect(bounds.x, bounds.y, bounds.width, bounds.height, `fill="${hsl(hue, 0.3, 0.3)}"`) +
    circle(0, 205, 180, `fill="${hsl(hue, 0.42, 0.78)}" stroke="${look.accent}" stroke-width="14"`) +
    lightSpot(bounds, composition)
  );
}

interface Palette {
  skyTop: string;
  skyBottom: string;
  ground: string;
}

const PALETTES: Record<Setting, Palette> = {
  forest: { skyTop: '#7fb8e6', skyBottom: '#d6ecd2', ground: '#4f8a3c' },
  city: { skyTop: '#4a3a78', skyBottom: '#f0a070', ground: '#6c6f78' },
  beach: { skyTop: '#4aa3e8', skyBottom: '#cdeaf7', ground: '#e8d39a' },
  mountains: { skyTop: '#8bb4dc', skyBottom: '#e6eef5', ground: '#e9eef2' },
  night: { skyTop: '#0f1633', skyBottom: '#3a3f78', ground: '#2a3340' },
  desert: { skyTop: '#f0b36a', skyBottom: '#fbe3b0', ground: '#d9a65e' },
};

function tree(x: number, scale: number, leaves: string): string {
  const trunk = rect(x - 14 * scale, GROUND - 200 * scale, 28 * scale, 200 * scale, 'fill="#6b4a2e"');
  const crown = circle(x, GROUND - 240 * scale, 90 * scale, `fill="${leaves}"`) + circle(x - 60 * scale, GROUND - 190 * scale, 62 * scale, `fill="${leaves}"`) + circle(x + 60 * scale, GROUND - 190 * scale, 62 * scale, `fill="${leaves}"`);
  return inked(trunk + crown, darken(leaves, 0.5), 3);
}

/** The scenery of one setting between the sky and the character. */
function scenery(setting: Setting, bounds: Bounds, rng: Rng, sunX: number): string {
  const left = bounds.x;
  const right = bounds.x + bounds.width;
  const span = (step: number, draw: (x: number) => string) => {
    let out = '';
    for (let x = left - step / 2 + rng.between(0, step / 2); x < right + step; x += step * rng.between(0.8, 1.2)) out += draw(x);
    return out;
  };
  switch (setting) {
    case 'forest':
      return rect(left, HORIZON - 40, bounds.width, 80, 'fill="#3f7a4a"') + span(260, (x) => tree(x, rng.between(0.6, 0.8), '#3c8a44')) + span(420, (x) => (Math.abs(x) > 230 ? tree(x, rng.between(1, 1.25), '#2f7a3a') : ''));
    case 'city':
      return span(150, (x) => {
        const height = rng.between(260, 560);
        const top = HORIZON + 60 - height;
        let windows = '';
        for (let wy = top + 24; wy < HORIZON + 20; wy += 46) for (let wx = x + 18; wx < x + 112; wx += 34) if (rng.chance(0.45)) windows += rect(wx, wy, 16, 22, 'fill="#ffd97a"');
        return rect(x, top, 130, height, `fill="${mix('#2c2a44', '#5a4a6e', rng.next())}"`) + windows;
      });
    case 'beach':
      return rect(left, HORIZON - 30, bounds.width, 90, 'fill="#2f7fc1"') + path(`M ${n(left)} ${HORIZON + 60} Q ${n(sunX)} ${HORIZON + 30} ${n(right)} ${HORIZON + 60} L ${n(right)} ${HORIZON + 80} L ${n(left)} ${HORIZON + 80} Z`, 'fill="#f4f1e6"');
    case 'mountains':
      return span(380, (x) => {
        const peak = HORIZON - rng.between(220, 420);
        return path(`M ${n(x - 260)} ${HORIZON + 40} L ${n(x)} ${n(peak)} L ${n(x + 260)} ${HORIZON + 40} Z`, 'fill="#6a7d96"') + path(`M ${n(x - 70)} ${n(peak + 90)} L ${n(x)} ${n(peak)} L ${n(x + 70)} ${n(peak + 90)} Q ${n(x)} ${n(peak + 70)} ${n(x - 70)} ${n(peak + 90)} Z`, 'fill="#f5f8fb"');
      });
    case 'night': {
      let stars = '';
      for (let i = 0; i < 40; i++) stars += circle(rng.between(left, right), rng.between(bounds.y, HORIZON - 80), rng.between(2, 5), 'fill="#fff8d6"');
      return stars + path(`M ${n(left)} ${HORIZON + 40} Q ${n(left + bounds.width * 0.3)} ${HORIZON - 120} ${n(left + bounds.width * 0.6)} ${HORIZON + 20} T ${n(right)} ${HORIZON} L ${n(right)} ${HORIZON + 80} L ${n(left)} ${HORIZON + 80} Z`, 'fill="#1d2a3a"');
    }
    case 'desert':
      return path(`M ${n(left)} ${HORIZON + 20} Q ${n(left + bounds.width * 0.25)} ${HORIZON - 90} ${n(left + bounds.width * 0.5)} ${HORIZON + 10} T ${n(right)} ${HORIZON - 20} L ${n(right)} ${HORIZON + 80} L ${n(left)} ${HORIZON + 80} Z`, 'fill="#c98f4a"') + span(520, (x) => (Math.abs(x) > 240 ? inked(rect(x - 16, GROUND - 230, 32, 230, 'fill="#4f8a3c"') + rect(x - 60, GROUND - 170, 60, 22, 'fill="#4f8a3c"') + rect(x - 60, GROUND - 220, 22, 60, 'fill="#4f8a3c"'), '#2c5222', 3) : ''));
  }
}

function scene(bounds: Bounds, look: CharacterLook, composition: Composition): string {
  const palette = PALETTES[look.setting];
  const rng = new Rng(composition.detailSeed);
  const sunX = composition.lightSide > 0 ? bounds.x + bounds.width * 0.8 : bounds.x + bounds.width * 0.2;
  const sky = `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${palette.skyTop}"/><stop offset="1" stop-color="${palette.skyBottom}"/></linearGradient></defs>`;
  const sunColour = look.setting === 'night' ? '#f4f1d8' : look.setting === 'city' ? '#ffcf7a' : '#fff3b0';
  const sun = circle(sunX, bounds.y + bounds.height * 0.16, 70, `fill="${sunColour}"`);
  let clouds = '';
  if (look.setting !== 'night') {
    for (let i = 0; i < 3; i++) {
      const cx = rng.between(bounds.x, bounds.x + bounds.width);
      const cy = rng.between(bounds.y + 60, HORIZON - 320);
      clouds += ellipse(cx, cy, 90, 28, 'fill="#ffffff" fill-opacity="0.8"') + ellipse(cx + 40, cy - 20, 50, 26, 'fill="#ffffff" fill-opacity="0.8"');
    }
  }
  const ground = rect(bounds.x, HORIZON + 40, bounds.width, bounds.y + bounds.height - HORIZON - 40, `fill="${palette.ground}"`);
  const path_ = ellipse(60, GROUND + 20, 340, 60, `fill="${lighten(palette.ground, 0.2)}" stroke="${outlineFor(palette.ground)}" stroke-opacity="0.3" stroke-width="3"`);
  return sky + rect(bounds.x, bounds.y, bounds.width, bounds.height, 'fill="url(#sky)"') + sun + clouds + ground + scenery(look.setting, bounds, rng, sunX) + path_;
}

export function drawBackdrop(bounds: Bounds, look: CharacterLook, composition: Composition): string {
  switch (composition.backdrop) {
    case 'studio':
      return studio(bounds, look, composition);
    case 'medallion':
      return medallion(bounds, look, composition);
    case 'scene':
      return scene(bounds, look, composition);
  }
}
