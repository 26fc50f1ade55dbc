// The reference-set catalog: the 10 variations of the seed system, in its order, with its names. This module
// and prompts.ts are the only places that know what a variation asks for.

export const VARIATION_TYPES = [
  'portrait_front',
  'portrait_side',
  'full_body_standing',
  'action_pose',
  'sitting_casual',
  'close_up_expression',
  'three_quarter_view',
  'environmental_context',
  'different_expression',
  'outfit_variation',
] as const;

export type VariationType = (typeof VARIATION_TYPES)[number];

export interface VariationSpec {
  type: VariationType;
  /** Added to the character's base seed, so each variation is reproducible and distinct (1..10). */
  seedOffset: number;
  /** What the image shows, phrased for a text-to-image prompt. */
  promptTemplate: string;
  /**
   * What changes in this shot (pose, framing, expression, setting, outfit), for training captions
   * (domain/captions.ts). Never the character's identity: what a caption leaves out, the trigger word learns.
   */
  caption: string;
}

export const VARIATIONS: readonly VariationSpec[] = [
  { type: 'portrait_front', promptTemplate: 'front view portrait, looking directly at the camera, neutral expression, head and shoulders', caption: 'front view, head and shoulders, looking at the viewer, neutral expression' },
  { type: 'portrait_side', promptTemplate: 'side profile view, thoughtful expression, artistic rim lighting', caption: 'side profile, thoughtful expression, rim lighting' },
  { type: 'full_body_standing', promptTemplate: 'full body shot, standing in a confident stance, entire character visible head to toe', caption: 'full body, standing, confident stance' },
  { type: 'action_pose', promptTemplate: 'dynamic action pose, in motion, energetic expression', caption: 'dynamic action pose, in motion, energetic expression' },
  { type: 'sitting_casual', promptTemplate: 'sitting casually, relaxed pose, friendly expression', caption: 'sitting, relaxed pose, friendly expression' },
  { type: 'close_up_expression', promptTemplate: 'close-up of the face, emotional expression, detailed features', caption: 'close-up of the face, emotional expression' },
  { type: 'three_quarter_view', promptTemplate: 'three-quarter view, slightly angled pose, engaging expression', caption: 'three-quarter view, angled pose, engaging expression' },
  { type: 'environmental_context', promptTemplate: 'the character in a fitting environment, contextual background, medium shot', caption: 'medium shot, in a fitting environment, detailed background' },
  { type: 'different_expression', promptTemplate: 'alternative facial expression, a different mood, portrait', caption: 'portrait, a different mood and facial expression' },
  { type: 'outfit_variation', promptTemplate: 'slight outfit variation, alternative clothing style, same person', caption: 'wearing an alternative outfit' },
].map((spec, index) => ({ ...spec, type: spec.type as VariationType, seedOffset: index + 1 }));

/** Seeds stay within the unsigned 32-bit range every backend accepts. */
export function variationSeed(baseSeed: number, spec: VariationSpec): number {
  return (baseSeed + spec.seedOffset) >>> 0;
}

/** Seeds are unsigned 32-bit on every backend; GraphQL's Int, where seeds are shown, tops out at 2^31 - 1. */
export const MAX_SEED = 2 ** 31 - 1;
