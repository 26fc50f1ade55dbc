// Pages of other sites get no more from a WebSocket than from HTTP: a browser's cross-site handshake is
// refused unless ALLOWED_ORIGINS names the site (which then also gets CORS over HTTP); the service's own
// page and clients that send no Origin (servers, the CLI) are unaffected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestService, type TestService } from '../support/service.js';

const ALLOWED = 'https://app.example.com';

/** Opens a graphql-ws socket with `origin` (none when undefined): 'ack', or the HTTP status it was refused with. */
function handshake(baseUrl: string, origin: string | undefined): Promise<'ack' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', origin === undefined ? {} : { origin });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'connection_ack') {
        socket.close(1000);
        resolve('ack');
      }
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', (error) => {
      if (socket.readyState !== WebSocket.CLOSED) reject(error);
    });
  });
}

describe('origins', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService({ ALLOWED_ORIGINS: `${ALLOWED}, http://localhost:5173` });
  });
  afterAll(async () => service?.destroy());

  it('refuses a WebSocket opened by a page of another site with 403', async () => {
    expect(await handshake(service.url, 'https://evil.example')).toBe(403);
    expect(await handshake(service.url, 'null')).toBe(403);
    // Same host name, another port: another origin.
    expect(await handshake(service.url, 'http://127.0.0.1:1')).toBe(403);
  });

  it('accepts the service\'s own page, the allowed sites, and clients without Origin', async () => {
    expect(await handshake(service.url, service.url)).toBe('ack');
    expect(await handshake(service.url, ALLOWED)).toBe('ack');
    expect(await handshake(service.url, 'http://localhost:5173')).toBe('ack');
    expect(await handshake(service.url, undefined)).toBe('ack');
  });

  it('answers CORS for the allowed sites only', async () => {
    const preflight = (origin: string) => fetch(`${service.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });
    const allowed = await preflight(ALLOWED);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
    expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();

    const query = (origin: string) => fetch(`${service.url}/graphql`, { method: 'POST', headers: { origin, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    const answered = await query(ALLOWED);
    expect(answered.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(await answered.json()).toEqual({ data: { __typename: 'Query' } });
    expect((await query('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 404 to a WebSocket on another path', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${service.url.replace(/^http/, 'ws')}/elsewhere`);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});
