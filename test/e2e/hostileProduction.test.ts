// The compiled service, started as an operator would: production without authentication is refused with a
// clear configuration error before anything opens; with authentication configured it starts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logLines, runToExit, startChildService } from '../support/childService.js';
import { AUDIENCE, ISSUER, SECRET } from '../auth/support/tokens.js';

describe('development mode in production', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'charsheet-prod-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('refuses to start without authentication, naming what to configure', async () => {
    const { code, stdout } = await runToExit({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir });
    expect(code).toBe(2);
    const [line, ...others] = logLines(stdout);
    expect(others).toEqual([]);
    expect(line?.msg).toMatch(/production refuses single-user development mode/);
    expect(line?.msg).toMatch(/AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS/);
  });

  it('starts with authentication configured and refuses anonymous requests', async () => {
    const child = await startChildService({ NODE_ENV: 'production', DATA_DIR: dataDir, AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE });
    try {
      const response = await fetch(`${child.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ characters { id } }' }) });
      expect(response.status).toBe(401);
    } finally {
      await child.stop();
    }
  });
});
