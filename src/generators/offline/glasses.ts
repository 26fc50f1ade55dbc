// Glasses in head coordinates, fitted to the character's eyes. Frame shape and colour belong to the character
// (faceShape.ts): when every wearer had the same black round frames, a face-recognition model saw the frames
// first and every wearer looked like every other.
import type { View } from './composition.js';
import { earPlaces, eyePlaces, type EyePlace } from './face.js';
import type { FaceShape } from './faceShape.js';
import { ellipse, n, path, rect, stroke } from './svg.js';

const LENS_TINT = 'fill="#cfe6ff" fill-opacity="0.18"';

function lens(place: EyePlace, face: FaceShape, rx: number, ry: number): string {
  const frame = `stroke="${face.glassesColour}" stroke-width="4.5"`;
  const width = rx * place.width;
  switch (face.glassesFrame) {
    case 'round':
      return ellipse(place.x, face.eyeY, width, ry, `${LENS_TINT} ${frame}`);
    case 'square':
      return rect(place.x - width, face.eyeY - ry * 0.85, 2 * width, ry * 1.7, `rx="5" ${LENS_TINT} ${frame}`);
    case 'browline':
      // A heavy bar along the top of the lens, thin rims below: the frame reads as a second pair of brows.
      return (
        rect(place.x - width, face.eyeY - ry * 0.8, 2 * width, ry * 1.55, `rx="9" ${LENS_TINT} stroke="${face.glassesColour}" stroke-width="2.5"`) +
        path(`M ${n(place.x - width - 1)} ${n(face.eyeY - ry * 0.55)} Q ${n(place.x)} ${n(face.eyeY - ry * 1.05)} ${n(place.x + width + 1)} ${n(face.eyeY - ry * 0.55)}`, stroke(face.glassesColour, 8))
      );
  }
}

export function glasses(view: View, face: FaceShape): string {
  const bar = stroke(face.glassesColour, 4.5);
  const y = face.eyeY;
  const rx = 20 * Math.max(1, face.eyeSize);
  const ry = 17 * Math.max(1, face.eyeSize);
  const places = eyePlaces(view, face);
  const lenses = places.map((place) => lens(place, face, rx, ry)).join('');
  if (view === 'profile') return lenses + path(`M 36 ${n(y - 4)} L -6 ${n(y - 2)}`, bar);
  const [first, second] = places;
  if (!first || !second) return lenses;
  const bridge = path(`M ${n(first.x + rx * first.width)} ${n(y - 3)} Q ${n((first.x + second.x) / 2)} ${n(y - 10)} ${n(second.x - rx * second.width)} ${n(y - 3)}`, bar);
  const [farEar = -62, nearEar = 62] = earPlaces(view, face);
  const arms =
    view === 'front'
      ? path(`M ${n(first.x - rx)} ${n(y - 4)} L ${n(farEar + 2)} ${n(y - 2)} M ${n(second.x + rx)} ${n(y - 4)} L ${n(nearEar - 2)} ${n(y - 2)}`, bar)
      : path(`M ${n(first.x - rx * first.width)} ${n(y - 4)} L ${n(farEar + 4)} ${n(y - 2)}`, bar);
  return lenses + bridge + arms;
}
