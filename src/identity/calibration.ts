// The default IDENTITY_MIN_SIMILARITY per kind of generator: below it, an image's similarity (domain/identity:
// the mean of its cosine to the avatar and to the centroid of the set's other images) says it shows another
// character. Valid for the default encoder's model (faceres) only. How each was found is in the README
// ("Identity scores") and `npm run bench -- identity` prints the measurements behind them.

export const CALIBRATED_MIN_SIMILARITY = {
  /**
   * The offline renderer: the highest threshold that flags at most 5 % of the images of 24 calibration
   * characters (not the ones the benchmark evaluates); it catches 94.7 % of their images drawn for another
   * character.
   */
  offline: 0.68,
  /**
   * RunPod and ComfyUI: no GPU here to measure generated images, so this comes from faceres on 8 real people
   * (40 photos): same person 0.67 ± 0.09, different people 0.40 ± 0.07. 0.52 leaves the same share of each
   * on the wrong side of it (1.7 standard deviations, ≈ 4.5 %); comparing with the set's centroid as well as
   * with one photo lifts same-person scores, so fewer good images should fall below it than that.
   */
  gpu: 0.52,
} as const;

export function defaultMinSimilarity(generator: 'offline' | 'runpod' | 'comfyui'): number {
  return generator === 'offline' ? CALIBRATED_MIN_SIMILARITY.offline : CALIBRATED_MIN_SIMILARITY.gpu;
}
