// The renderer's reading of a user's own words for a new image (generateCharacterImage): the setting, pose,
// framing, view and mood it can draw, from the same vocabulary the catalog's shots use. Words it does not know
// change nothing; with none it knows, the character stands in a studio, as in the reference set's front shot.
import type { Backdrop, Expression, Framing, Pose, View } from './composition.js';
import type { Setting } from './look.js';

export interface Direction {
  setting: Setting | null;
  pose: Pose | null;
  framing: 'closeUp' | 'portrait' | 'upperBody' | 'fullBody' | null;
  view: View | null;
  expression: Expression | null;
  outfit: boolean;
}

function first<T>(text: string, options: readonly [T, RegExp][]): T | null {
  for (const [value, words] of options) if (words.test(text)) return value;
  return null;
}

export function readDirection(words: string): Direction {
  const text = words.toLowerCase();
  return {
    setting: first<Setting>(text, [
      ['night', /\bnight|\bstars?\b|starry|moon|midnight|\bdark sky/],
      ['beach', /beach|\bsea\b|seaside|ocean|shore|coast|island/],
      ['forest', /forest|\bwoods?\b|jungle|\btrees?\b|\bpark\b|meadow|garden/],
      ['city', /\bcity|street|urban|downtown|rooftop|skyline|\btown\b/],
      ['mountains', /mountain|\bsnow|winter|\bpeaks?\b|\bski/],
      ['desert', /desert|\bsand|dunes?\b|oasis/],
    ]),
    pose: first<Pose>(text, [
      ['sitting', /\bsit|\bseated|bench|chair|\bcouch|resting/],
      ['action', /\brun|jump|sprint|\bfight|leap|danc|action|\bkick|climb|\bmotion/],
      ['waving', /\bwav|greet|hello|\bwelcom|\bcheer/],
      ['standing', /\bstand/],
    ]),
    framing: first<Direction['framing']>(text, [
      ['closeUp', /close[- ]?up|\bface\b/],
      ['portrait', /portrait|headshot|head and shoulders/],
      ['upperBody', /upper body|half body|waist up/],
      ['fullBody', /full body|full[- ]length|head to toe/],
    ]),
    view: first<View>(text, [
      ['profile', /profile|side view|from the side/],
      ['threeQuarter', /three[- ]quarter|3\/4/],
    ]),
    expression: first<Expression>(text, [
      ['joyful', /laugh|joy|delight|ecsta/],
      ['grin', /\bgrin/],
      ['smile', /smil|happy|cheerful|friendly/],
      ['sad', /\bsad|\bcry|tears|gloomy|melanchol/],
      ['angry', /angry|\bmad\b|furious|\brage/],
      ['surprised', /surpris|shock|astonish/],
      ['thoughtful', /thought|thinking|pensive|ponder/],
    ]),
    outfit: /outfit|costume|\bdressed|\bwearing/.test(text),
  };
}

/** The catalog shot's framings, by name (composition.ts owns the numbers). */
export interface Framings {
  closeUp: Framing;
  portrait: Framing;
  upperBody: Framing;
  fullBody: Framing;
  wide: Framing;
  sitting: Framing;
  action: Framing;
}

export interface DirectedShot {
  view: View;
  pose: Pose;
  expression: Expression;
  framing: Framing;
  backdrop: Backdrop;
  alternateOutfit: boolean;
  motionLines: boolean;
}

/** A named setting puts the character in a scene (wide enough to show it); a named pose picks the pose's own camera. */
export function directedShot(direction: Direction, framings: Framings): DirectedShot {
  const pose = direction.pose ?? (direction.setting ? 'waving' : 'standing');
  const poseFraming = pose === 'sitting' ? framings.sitting : pose === 'action' ? framings.action : direction.setting ? framings.wide : framings.fullBody;
  // A sitting figure is drawn three-quarter (its chair reads best that way) unless the words say otherwise.
  const view = direction.view ?? (pose === 'sitting' ? 'threeQuarter' : 'front');
  return {
    view: pose === 'action' && view === 'profile' ? 'front' : view,
    pose,
    expression: direction.expression ?? (pose === 'action' ? 'grin' : 'smile'),
    framing: direction.framing ? framings[direction.framing] : poseFraming,
    backdrop: direction.setting ? 'scene' : 'studio',
    alternateOutfit: direction.outfit,
    motionLines: pose === 'action',
  };
}
