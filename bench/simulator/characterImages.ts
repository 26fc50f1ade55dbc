// The pictures the GPU simulators return: drawn by the offline renderer for the character the prompt names,
// so a conditioned set really shows one character and identity checks have something to measure. The
// character comes from the prompt's identity phrase (src/domain/prompts.ts: "name, description, trait: value,
// …, in <style> style"), read back deterministically: the same character in two prompts is drawn the same.
// A drifted request draws someone else, chosen from the seed, as an unconditioned model does. Renders are
// cached (a request repeated gives the same bytes), and 'solid' serves single-colour PNGs for raw speed.
import { AVATAR_SHOT } from '../../src/domain/prompts.js';
import { VARIATIONS, type VariationType } from '../../src/domain/variations.js';
import { deriveLook, OfflineRenderer } from '../../src/generators/offline/index.js';
import type { ImageSubject } from '../../src/ports.js';
import { solidPng } from './png.js';

export type ImageMode = 'character' | 'solid';

export interface DrawRequest {
  prompt: string;
  seed: number;
  width: number;
  height: number;
  /** Draw a different character than the prompt names. */
  drift: boolean;
}

const IDENTITY = /^(.*?), in (.+?) style(?=, |$)/;
const CACHE_LIMIT = 256;

/** The character and the shot a prompt asks for; a prompt not in charsheet's form is one character per text. */
export function subjectFromPrompt(prompt: string): { subject: ImageSubject; variation: VariationType | 'avatar'; shot: string } {
  const match = IDENTITY.exec(prompt);
  const shot = match ? prompt.slice(match[0].length) : prompt;
  const variation = VARIATIONS.find((spec) => shot.includes(spec.promptTemplate))?.type ?? 'avatar';
  if (!match) return { subject: { name: prompt, description: '', traits: {}, style: '' }, variation, shot };
  const [name = '', ...parts] = match[1]!.split(', ');
  const traits: Record<string, string> = {};
  const description: string[] = [];
  for (const part of parts) {
    const trait = /^([^:]+): (.+)$/.exec(part);
    if (trait) traits[trait[1]!.trim().replace(/ /g, '_')] = trait[2]!;
    else description.push(part);
  }
  return { subject: { name, description: description.join(', '), traits, style: match[2]! }, variation, shot };
}

/** Someone else, picked from the seed, whose hair, skin and eyes all differ from the subject's. */
export function driftedSubject(subject: ImageSubject, seed: number): ImageSubject {
  const look = deriveLook(subject);
  let stranger: ImageSubject = subject;
  for (let attempt = 0; attempt < 64; attempt++) {
    stranger = { name: `stranger ${seed >>> 0}.${attempt}`, description: '', traits: {}, style: subject.style };
    const other = deriveLook(stranger);
    if (other.hair !== look.hair && other.skin !== look.skin && other.eyes !== look.eyes) break;
  }
  return stranger;
}

export class CharacterImages {
  private readonly renderer = new OfflineRenderer();
  /** Least recently used first. */
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(private readonly mode: ImageMode = 'character') {}

  /** One small render, so the rasteriser's first-use cost lands at start-up rather than on the first request timed. */
  async warmUp(): Promise<void> {
    if (this.mode === 'character') await this.draw({ prompt: 'warm-up', seed: 0, width: 16, height: 16, drift: false });
  }

  draw(request: DrawRequest): Promise<Buffer> {
    const { prompt, seed, width, height, drift } = request;
    if (this.mode === 'solid') return Promise.resolve(solidPng(width, height, seed));
    const key = `${drift ? 'drift' : 'same'}|${seed}|${width}x${height}|${prompt}`;
    let image = this.cache.get(key);
    if (image) this.cache.delete(key);
    else {
      const { subject, variation, shot } = subjectFromPrompt(prompt);
      const drawn = drift ? driftedSubject(subject, seed) : subject;
      // Neither a catalog shot nor the avatar's: a generateCharacterImage prompt, drawn as the user's words ask.
      const custom = variation === 'avatar' && !shot.includes(AVATAR_SHOT);
      image = this.renderer.generate({ variation: custom ? 'custom' : variation, direction: shot, prompt, negativePrompt: '', seed, width, height, subject: drawn }).then((generated) => Buffer.from(generated.bytes));
      image.catch(() => this.cache.delete(key));
    }
    this.cache.set(key, image);
    if (this.cache.size > CACHE_LIMIT) this.cache.delete(this.cache.keys().next().value!);
    return image;
  }
}
