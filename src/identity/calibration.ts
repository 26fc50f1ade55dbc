// The default IDENTITY_MIN_SIMILARITY per kind of generator: below it, an image's similarity (domain/identity:
// the mean of its cosine to the avatar and to the centroid of the set's other images) says it shows another
// character. Valid for the default encoder's model (faceres) only. How each was found is in the README
// ("Identity scores") and `npm run bench -- identity` prints the measurements behind them.

export const CALIBRATED_MIN_SIMILARITY = {
  /**
   * The offline renderer: the threshold that, on 24 calibration characters (not the ones the benchmark
   * evaluates), flagged ≤ 5 % of their own images while catching ≥ 90 % of images drawn for another character.
   */
  offline: 0.7,
  /**
   * RunPod and ComfyUI: no GPU here to measure generated images, so this comes from faceres on 8 real people
   * (40 photos): same person 0.67 ± 0.09, different people 0.40 ± 0.07. 0.52 is where the two normal curves
   * cross (≈ 4.5 % of each side on the wrong side); comparing with the set's centroid as well as one photo
   * lifts same-person scores, so fewer good images fall below it than that.
   */
  gpu: 0.52,
} as const;

export function defaultMinSimilarity(generator: 'offline' | 'runpod' | 'comfyui'): number {
  return generator === 'offline' ? CALIBRATED_MIN_SIMILARITY.offline : CALIBRATED_MIN_SIMILARITY.gpu;
}
