import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { logLines, runToExit } from './support/childService.js';

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

  it('reads ALLOWED_ORIGINS as origins and refuses anything else', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://App.example.com, http://localhost:5173' }).allowedOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(loadConfig({}).allowedOrigins).toEqual([]);
    for (const value of ['https://app.example.com/path', 'app.example.com', 'ftp://x', 'https://a,', 'https://a:99999']) expect(problemsOf({ ALLOWED_ORIGINS: value })).toContain('ALLOWED_ORIGINS');
  });

  it('derives QUEUE_PREFIX from the database name unless it is set, and refuses odd characters', () => {
    expect(loadConfig({}).queuePrefix).toBe('charsheet:charsheet');
    expect(loadConfig({ MONGODB_URI: 'mongodb://user:pw@db:27017/staging?authSource=admin' }).queuePrefix).toBe('charsheet:staging');
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017' }).queuePrefix).toBe('charsheet:test');
    expect(loadConfig({ MONGODB_URI: 'mongodb://db/prod', QUEUE_PREFIX: 'blue' }).queuePrefix).toBe('blue');
    expect(problemsOf({ QUEUE_PREFIX: 'has space*' })).toMatch(/QUEUE_PREFIX/);
  });

  it('serves metrics unless METRICS=off, and wants a METRICS_TOKEN long enough to resist guessing', () => {
    expect(loadConfig({}).METRICS).toBe('on');
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS: 'off', METRICS_TOKEN: 'a-token-of-16-chars' })).toMatchObject({ METRICS: 'off', METRICS_TOKEN: 'a-token-of-16-chars' });
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toContain('METRICS_TOKEN');
    expect(problemsOf({ METRICS: 'maybe' })).toContain('METRICS');
  });

  it('takes LOG_FORMAT json (default) or pretty', () => {
    expect(loadConfig({}).LOG_FORMAT).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).LOG_FORMAT).toBe('pretty');
    expect(problemsOf({ LOG_FORMAT: 'xml' })).toContain('LOG_FORMAT');
  });

  it('stops the process with exit code 2 and one log line naming the setting, before opening anything', async () => {
    const result = await runToExit({ PORT: '-1' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    expect(logLines(result.stdout)).toEqual([expect.objectContaining({ level: 60, msg: expect.stringMatching(/invalid configuration: PORT:/), problems: [expect.stringMatching(/^PORT:/)] })]);
  });

  it('writes that line for a human with LOG_FORMAT=pretty', async () => {
    const result = await runToExit({ PORT: '-1', LOG_FORMAT: 'pretty' });
    expect(result.code).toBe(2);
    expect(result.stdout[0]).toMatch(/FATAL.*charsheet could not start: invalid configuration: PORT:/);
    expect(() => logLines(result.stdout)).toThrow(/not a JSON log line/);
  });
});
