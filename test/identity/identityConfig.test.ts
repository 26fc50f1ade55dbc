// The identity settings: on by default, a calibrated threshold per kind of generator unless one is given.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CALIBRATED_MIN_SIMILARITY } from '../../src/identity/calibration.js';

const gpu = { RUNPOD_API_KEY: 'key', RUNPOD_ENDPOINT_ID: 'endpoint' };

describe('identity settings', () => {
  it('scores and regenerates by default, with the offline threshold for the offline renderer', () => {
    expect(loadConfig({})).toMatchObject({ IDENTITY: 'on', IDENTITY_MAX_REGENERATIONS: 2, identityMinSimilarity: CALIBRATED_MIN_SIMILARITY.offline });
  });

  it('uses the GPU threshold for RunPod and ComfyUI, and a given threshold over either', () => {
    expect(loadConfig({ IMAGE_GENERATOR: 'runpod', ...gpu }).identityMinSimilarity).toBe(CALIBRATED_MIN_SIMILARITY.gpu);
    expect(loadConfig({ IMAGE_GENERATOR: 'comfyui' }).identityMinSimilarity).toBe(CALIBRATED_MIN_SIMILARITY.gpu);
    expect(loadConfig({ IMAGE_GENERATOR: 'comfyui', IDENTITY_MIN_SIMILARITY: '0.61' }).identityMinSimilarity).toBe(0.61);
    expect(CALIBRATED_MIN_SIMILARITY.offline).not.toBe(CALIBRATED_MIN_SIMILARITY.gpu);
  });

  it('refuses values that cannot work, naming each setting', () => {
    const attempt = () => loadConfig({ IDENTITY: 'yes', IDENTITY_MIN_SIMILARITY: '1.5', IDENTITY_MAX_REGENERATIONS: '-1' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/IDENTITY:[\s\S]*IDENTITY_MIN_SIMILARITY:[\s\S]*IDENTITY_MAX_REGENERATIONS:/);
  });
});
