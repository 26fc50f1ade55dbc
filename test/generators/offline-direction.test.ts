// The offline renderer's reading of a generateCharacterImage prompt: the setting it names becomes the scene
// behind the character, the pose it names the character's pose; words it does not know change nothing.
import { describe, expect, it } from 'vitest';
import { characterSvg } from '../../src/generators/offline/index.js';
import { readDirection } from '../../src/generators/offline/direction.js';
import type { ImageRequest } from '../../src/ports.js';

const subject = { name: 'Ines Moreau', description: 'a detective', traits: { hair: 'black' }, style: 'comic' };
const custom = (direction: string): ImageRequest => ({ variation: 'custom', direction, prompt: direction, negativePrompt: '', seed: 3, width: 128, height: 128, subject });

describe('offline renderer, custom images', () => {
  it('reads setting, pose, framing, view and mood from the words', () => {
    expect(readDirection('Sitting on the BEACH, smiling')).toMatchObject({ setting: 'beach', pose: 'sitting', expression: 'smile' });
    expect(readDirection('running through the city streets')).toMatchObject({ setting: 'city', pose: 'action' });
    expect(readDirection('close-up portrait in profile, sad')).toMatchObject({ setting: null, pose: null, framing: 'closeUp', view: 'profile', expression: 'sad' });
    expect(readDirection('holding a teacup')).toEqual({ setting: null, pose: null, framing: null, view: null, expression: null, outfit: false });
  });

  it('draws the named setting as the scene, and a studio when none is named', () => {
    // The ground colours of the scenes (backdrop.ts); a detective's own setting would be the city.
    expect(characterSvg(custom('waving on the beach'))).toContain('#e8d39a');
    expect(characterSvg(custom('in a forest'))).toContain('#4f8a3c');
    expect(characterSvg(custom('holding a teacup'))).not.toContain('url(#sky)');
    expect(characterSvg(custom('holding a teacup'))).toBe(characterSvg(custom('')));
    expect(characterSvg(custom('sitting in the studio'))).not.toBe(characterSvg(custom('standing in the studio')));
  });
});
