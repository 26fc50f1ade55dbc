// What the GPU simulators record of each image request, so tests can assert what a real backend would have
// received ("every variation request carried the avatar"), and the per-request choice to drift.
import { createHash } from 'node:crypto';
import { inspectImage } from '../../src/generators/imageBytes.js';
import type { VariationType } from '../../src/domain/variations.js';
import { subjectFromPrompt } from './characterImages.js';

export interface CarriedReference {
  /** The name the request gave it (an input file name, or where the base64 sat in a plain input). */
  name: string;
  sha256: string;
  bytes: Buffer;
}

export interface SimulatedRequest {
  /** 1-based, in order of arrival (refused submissions included). */
  submission: number;
  /** The graph (ComfyUI) or the job's input (RunPod), as received. */
  input: unknown;
  prompt: string;
  /** The shot the prompt asks for, read back from the catalog's wording. */
  variation: VariationType | 'avatar';
  seed: number;
  /** The reference images the request carried to the model: LoadImage files, input.images, base64 images. */
  references: CarriedReference[];
  /** Whether the simulator drew a different character for it. */
  drifted: boolean;
}

/** Which requests draw a different character than their prompt names, as an unconditioned model does. */
export type DriftChoice = (request: Omit<SimulatedRequest, 'drifted'>) => boolean;

export function carried(name: string, bytes: Buffer): CarriedReference {
  return { name, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}

export function describedRequest(fields: Omit<SimulatedRequest, 'drifted' | 'variation'>, drift: DriftChoice | undefined): SimulatedRequest {
  const described = { ...fields, variation: subjectFromPrompt(fields.prompt).variation };
  return { ...described, drifted: drift?.(described) ?? false };
}

const BASE64_IMAGE = /^(data:image\/[a-z+.-]+;base64,)?[A-Za-z0-9+/]{100,}={0,2}$/;

/** Images sent inline anywhere in a plain worker's input (bare base64 or data URIs), with the key they sat under. */
export function inlineImages(value: unknown, key = 'input'): CarriedReference[] {
  if (typeof value === 'string') {
    if (!BASE64_IMAGE.test(value)) return [];
    const bytes = Buffer.from(value.replace(/^data:[^,]*,/, ''), 'base64');
    return inspectImage(bytes) ? [carried(key, bytes)] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([child, item]) => inlineImages(item, Array.isArray(value) ? key : child));
}
