// /health means alive, /ready means able to serve: with the database cut off, /ready answers 503 naming the
// database (the other parts still fine) while /health stays 200; once the database is back, /ready recovers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDatabase, type TestDatabase, withDatabase } from '../support/mongo.js';
import { startTestService, type TestService } from '../support/service.js';
import { startTcpProxy, type TcpProxy } from '../support/tcpProxy.js';
import { waitFor } from '../support/waitFor.js';

interface ReadyBody {
  status: string;
  checks: Record<string, { ok: boolean; error?: string }>;
}

describe('readiness', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let service: TestService;
  beforeAll(async () => {
    database = await startTestDatabase();
    const target = new URL(database.uri);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
    target.port = String(proxy.port);
    service = await startTestService({ MONGODB_URI: withDatabase(target.toString(), database.dbName) });
  });
  afterAll(async () => {
    await service?.destroy();
    await proxy?.close();
    await database?.close();
  });

  async function ready(): Promise<{ status: number; body: ReadyBody }> {
    const response = await fetch(`${service.url}/ready`);
    return { status: response.status, body: (await response.json()) as ReadyBody };
  }

  it('is ready when every part answers', async () => {
    expect(await ready()).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: { ok: true }, queue: { ok: true }, store: { ok: true }, generator: { ok: true } } },
    });
    expect((await fetch(`${service.url}/health`)).status).toBe(200);
  });

  it('answers 503 naming the database while it is down, stays alive, and recovers', async () => {
    proxy.down();
    const down = await ready();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('not ready');
    expect(down.body.checks.database).toMatchObject({ ok: false, error: expect.any(String) });
    expect(down.body.checks.store).toEqual({ ok: true });
    expect((await fetch(`${service.url}/health`)).status).toBe(200);

    proxy.up();
    await waitFor(async () => (await ready()).status === 200, '/ready recovers');
  });
});
