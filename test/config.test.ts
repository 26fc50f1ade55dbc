import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
}

describe('configuration', () => {
  it('works offline with no settings at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 4000, HOST: '127.0.0.1', IMAGE_GENERATOR: 'offline', OBJECT_STORE: 'local', ROLE: 'all' });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:4000');
  });

  it('names every invalid setting at once', () => {
    const message = problemsOf({ PORT: 'eighty', VARIATION_MAX_ATTEMPTS: '0', IMAGE_GENERATOR: 'dalle', MONGODB_URI: 'postgres://x', EMBEDDED_DB_BUSY_POLL_US: '-1' });
    for (const name of ['PORT', 'VARIATION_MAX_ATTEMPTS', 'IMAGE_GENERATOR', 'MONGODB_URI', 'EMBEDDED_DB_BUSY_POLL_US']) expect(message).toContain(name);
  });

  it('asks for what a chosen backend needs', () => {
    expect(problemsOf({ IMAGE_GENERATOR: 'runpod' })).toMatch(/RUNPOD_API_KEY.*\n.*RUNPOD_ENDPOINT_ID/);
    expect(problemsOf({ OBJECT_STORE: 'cloudinary' })).toContain('CLOUDINARY_URL');
    expect(problemsOf({ ROLE: 'worker' })).toContain('REDIS_URL');
  });

  it('stops the process with exit code 2 and the message, before opening anything', () => {
    const result = spawnSync(process.execPath, [new URL('../dist/src/main.js', import.meta.url).pathname], { env: { PATH: process.env.PATH ?? '', PORT: '-1' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Invalid configuration:\n\s+PORT:/);
  });
});
