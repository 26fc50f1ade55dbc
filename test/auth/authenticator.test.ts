// Authentication as the deployed service does it: bearer JWTs (HS256 secret, or RS256/ES256 from a JWKS
// served by a local HTTP server), API keys acting on behalf of a user, and the development mode.
import type { IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../src/auth/apiKeys.js';
import { AuthUnavailableError, UnauthenticatedError } from '../../src/auth/errors.js';
import { createAuthenticator, type Authenticator } from '../../src/auth/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { asymmetricToken, AUDIENCE, hs256Token, ISSUER, SECRET, signingKey, startJwksServer, type JwksServer, type SigningKey } from './support/tokens.js';

const API_KEY = 'k3y-for-the-character-app-backend-0123456789abcdef';
const JWT_ENV = { AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE };

function authenticatorFor(env: Record<string, string>): Authenticator {
  return createAuthenticator(loadConfig({ NODE_ENV: 'test', ...env }));
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function refusal(attempt: Promise<unknown>): Promise<{ reason: string; message: string }> {
  const error = await attempt.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return error as UnauthenticatedError;
}

describe('HS256 bearer tokens', () => {
  const auth = authenticatorFor({ AUTH_JWT_SECRET: SECRET, ...JWT_ENV, AUTH_ADMIN_CLAIM: 'realm_access.roles', AUTH_ADMIN_VALUE: 'admin' });

  it('take the username from the sub claim', async () => {
    expect(await auth.fromHeaders(bearer(await hs256Token('alice')))).toEqual({ username: 'alice', isAdmin: false });
  });

  it('make an admin from the configured role claim (a nested path here)', async () => {
    const token = await hs256Token('root', { claims: { realm_access: { roles: ['user', 'admin'] } } });
    expect(await auth.fromHeaders(bearer(token))).toEqual({ username: 'root', isAdmin: true });
  });

  it("read the scheme in any case and with any number of spaces ('bearer  <token>')", async () => {
    expect(await auth.fromHeaders({ authorization: `bearer   ${await hs256Token('alice')}` })).toMatchObject({ username: 'alice' });
  });

  it('read the token from a graphql-ws connection_init payload, whatever the key case', async () => {
    expect(await auth.fromConnectionParams({ Authorization: `Bearer ${await hs256Token('alice')}` })).toMatchObject({ username: 'alice' });
  });

  it.each([
    // The client reads these words (they say what to fix), so they are checked whole.
    ['expired', () => hs256Token('alice', { expiresIn: -120 }), 'token expired'],
    ['wrongly signed', () => hs256Token('alice', { secret: 'another-secret-that-is-long-enough-for-hs256' }), 'token signature does not verify'],
    ['for another audience', () => hs256Token('alice', { audience: 'some-other-service' }), 'token refused: aud claim not accepted'],
    ['from another issuer', () => hs256Token('alice', { issuer: 'https://evil.example' }), 'token refused: iss claim not accepted'],
    ['without an expiry', () => hs256Token('alice', { expiresIn: 0 }), 'token refused: exp claim missing'],
    ['not a JWT at all', async () => 'not.a.jwt', 'malformed token'],
  ])('refuse a token %s', async (_, token, message) => {
    const error = await refusal(auth.fromHeaders(bearer(await token())));
    expect(error.reason).toBe('invalid');
    expect(error.message).toBe(message);
  });

  it('accept any of a comma-separated audience list, spaces and empty entries ignored', async () => {
    const listed = authenticatorFor({ AUTH_JWT_SECRET: SECRET, AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: ' mobile-app , ,charsheet ,' });
    expect(await listed.fromHeaders(bearer(await hs256Token('alice', { audience: 'charsheet' })))).toMatchObject({ username: 'alice' });
    expect(await listed.fromHeaders(bearer(await hs256Token('alice', { audience: 'mobile-app' })))).toMatchObject({ username: 'alice' });
    expect((await refusal(listed.fromHeaders(bearer(await hs256Token('alice', { audience: '' }))))).message).toBe('token refused: aud claim not accepted');
  });

  it('refuse a missing token as missing, and other schemes as invalid', async () => {
    expect(await refusal(auth.fromHeaders({}))).toMatchObject({ reason: 'missing', message: 'authentication required: send Authorization: Bearer <token>' });
    expect((await refusal(auth.fromConnectionParams(undefined))).reason).toBe('missing');
    expect((await refusal(auth.fromConnectionParams({ authorization: null }))).reason).toBe('missing');
    // A blank header is no credential at all.
    expect((await refusal(auth.fromHeaders({ authorization: '   ' }))).reason).toBe('missing');
    expect(await refusal(auth.fromHeaders({ authorization: 'Basic YWxpY2U6cHc=' }))).toMatchObject({ reason: 'invalid', message: "the Authorization header must be 'Bearer <token>'" });
  });

  it('read a bearer header with spaces around it', async () => {
    expect(await auth.fromHeaders({ authorization: `  Bearer ${await hs256Token('alice')}  ` })).toMatchObject({ username: 'alice' });
  });

  it('refuse a token whose username claim is empty or unprintable, naming the claim', async () => {
    expect((await refusal(auth.fromHeaders(bearer(await hs256Token(''))))).message).toBe("the token's sub claim carries no username");
    expect((await refusal(auth.fromHeaders(bearer(await hs256Token('evil\u202Egnp'))))).message).toBe("the token's sub claim carries an unusable username");
  });

  it('refuse two Authorization headers instead of choosing one', async () => {
    // Headers may come as arrays (IncomingHttpHeaders allows them for some names): two credentials are refused, never one picked.
    const headers = { authorization: [`Bearer ${await hs256Token('alice')}`, `Bearer ${await hs256Token('root')}`] } as unknown as IncomingHttpHeaders;
    expect((await refusal(auth.fromHeaders(headers))).message).toBe('repeated authorization header');
  });

  it('read roles given as a space-separated string, and a claim whose own name holds dots (namespaced claims)', async () => {
    expect(await auth.fromHeaders(bearer(await hs256Token('root', { claims: { realm_access: { roles: 'user admin' } } })))).toEqual({ username: 'root', isAdmin: true });
    expect(await auth.fromHeaders(bearer(await hs256Token('eve', { claims: { realm_access: { roles: 'user administrator' } } })))).toEqual({ username: 'eve', isAdmin: false });
    const namespaced = authenticatorFor({ AUTH_JWT_SECRET: SECRET, ...JWT_ENV, AUTH_ADMIN_CLAIM: 'https://charsheet.example/roles', AUTH_ADMIN_VALUE: 'admin' });
    expect(await namespaced.fromHeaders(bearer(await hs256Token('root', { claims: { 'https://charsheet.example/roles': ['admin'] } })))).toEqual({ username: 'root', isAdmin: true });
  });

  it('accept tokens signed with the "none" algorithm never', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'alice', iss: ISSUER, aud: AUDIENCE, exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    await refusal(auth.fromHeaders(bearer(`${header}.${payload}.`)));
  });
});

describe('JWKS bearer tokens (RS256 and ES256)', () => {
  let rsa: SigningKey;
  let ec: SigningKey;
  let jwks: JwksServer;
  let auth: Authenticator;
  beforeAll(async () => {
    [rsa, ec] = await Promise.all([signingKey('RS256', 'rsa-1'), signingKey('ES256', 'ec-1')]);
    jwks = await startJwksServer([rsa, ec]);
    auth = authenticatorFor({ AUTH_JWKS_URL: jwks.url, ...JWT_ENV, AUTH_USERNAME_CLAIM: 'preferred_username' });
  });
  afterAll(async () => jwks?.close());

  it('verify both key types against the served key set, fetched once', async () => {
    const claims = { preferred_username: 'bob' };
    expect(await auth.fromHeaders(bearer(await asymmetricToken(rsa, 'id-1', { claims })))).toEqual({ username: 'bob', isAdmin: false });
    expect(await auth.fromHeaders(bearer(await asymmetricToken(ec, 'id-1', { claims })))).toEqual({ username: 'bob', isAdmin: false });
    expect(jwks.fetches).toBe(1);
  });

  it('refuse a token signed by a key the JWKS does not hold', async () => {
    const stranger = await signingKey('RS256', 'rsa-1');
    expect((await refusal(auth.fromHeaders(bearer(await asymmetricToken(stranger, 'x', { claims: { preferred_username: 'bob' } }))))).message).toMatch(/signature/);
  });

  it('refuse an HS256 token forged with the public key as secret (algorithm confusion)', async () => {
    const forged = await hs256Token('bob', { secret: JSON.stringify(rsa.publicJwk), claims: { preferred_username: 'bob' } });
    expect((await refusal(auth.fromHeaders(bearer(forged)))).message).toBe('token signed with an algorithm that is not accepted');
  });

  it('report an unreachable JWKS as unavailable, not as a bad token', async () => {
    const offline = authenticatorFor({ AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json', ...JWT_ENV });
    const error = await offline.fromHeaders(bearer(await asymmetricToken(rsa, 'bob'))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthUnavailableError);
    // The log shows why: the message names the failure, the cause keeps the original error.
    expect((error as Error).message).toMatch(/^could not verify the token: ./);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});

describe('API keys', () => {
  const auth = authenticatorFor({ AUTH_API_KEYS: `app-backend:${hashApiKey(API_KEY)},other:${hashApiKey('x'.repeat(40))}` });

  it('act on behalf of the named user, never as an admin', async () => {
    expect(await auth.fromHeaders({ 'x-api-key': API_KEY, 'x-on-behalf-of': 'carol' })).toEqual({ username: 'carol', isAdmin: false });
    expect(await auth.fromConnectionParams({ 'X-Api-Key': API_KEY, 'X-On-Behalf-Of': 'carol' })).toEqual({ username: 'carol', isAdmin: false });
  });

  it('refuse an unknown key, a blank key, a key without a user, and a key beside a token, saying which', async () => {
    const message = async (headers: Record<string, string>) => (await refusal(auth.fromHeaders(headers))).message;
    expect(await message({ 'x-api-key': `${API_KEY}x`, 'x-on-behalf-of': 'carol' })).toBe('unknown API key');
    expect(await message({ 'x-api-key': '   ', 'x-on-behalf-of': 'carol' })).toBe('empty API key');
    expect(await message({ 'x-api-key': API_KEY })).toMatch(/^the x-on-behalf-of header/);
    expect(await message({ 'x-api-key': API_KEY, 'x-on-behalf-of': 'carol', authorization: 'Bearer abc' })).toBe('send either a bearer token or an API key, not both');
    expect((await refusal(auth.fromConnectionParams({ 'x-api-key': 42 }))).message).toBe('connection parameter x-api-key must be a string');
  });

  it('say at start-up which credentials they require', () => {
    expect(auth.description).toBe('required: 2 API key(s) with x-on-behalf-of');
    const both = authenticatorFor({ AUTH_JWT_SECRET: SECRET, ...JWT_ENV, AUTH_API_KEYS: `app-backend:${hashApiKey(API_KEY)}` });
    expect(both.description).toBe(`required: bearer JWT (HS256, shared secret, issuer ${ISSUER}, username claim 'sub') or 1 API key(s) with x-on-behalf-of`);
  });

  it('take a username up to 128 characters and refuse longer or blank ones, and credentials over 8 KiB, by name (the boundaries a caller can hit)', async () => {
    const onBehalfOf = (user: string) => auth.fromHeaders({ 'x-api-key': API_KEY, 'x-on-behalf-of': user });
    expect(await onBehalfOf('u'.repeat(128))).toEqual({ username: 'u'.repeat(128), isAdmin: false });
    expect((await refusal(onBehalfOf('u'.repeat(129)))).message).toMatch(/unusable username/);
    expect((await refusal(onBehalfOf('   '))).message).toMatch(/no username/);
    expect((await refusal(onBehalfOf('u'.repeat(8_192)))).message).toMatch(/unusable username/);
    expect((await refusal(onBehalfOf('u'.repeat(8_193)))).message).toMatch(/credentials too long/);
    // Padding around a key is not part of it.
    expect(await auth.fromHeaders({ 'x-api-key': ` ${API_KEY} `, 'x-on-behalf-of': 'carol' })).toEqual({ username: 'carol', isAdmin: false });
  });

  it('refuse bearer tokens when only keys are configured', async () => {
    expect((await refusal(auth.fromHeaders(bearer(await hs256Token('alice'))))).message).toBe('bearer tokens are not accepted here; use an API key');
  });
});

describe('development mode and configuration', () => {
  it('acts as DEV_USERNAME for everyone when no authentication is configured', async () => {
    const auth = authenticatorFor({ DEV_USERNAME: 'solo' });
    expect(await auth.fromHeaders({})).toEqual({ username: 'solo', isAdmin: false });
    expect(auth.description).toMatch(/single-user development mode/);
  });

  it('refuses to start in production without authentication', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/production refuses single-user development mode/);
    expect(() => createAuthenticator({ ...loadConfig({ NODE_ENV: 'test' }), NODE_ENV: 'production' })).toThrow(ConfigError);
  });

  it.each([
    ['a short HS256 secret', { AUTH_JWT_SECRET: 'short', ...JWT_ENV }, /AUTH_JWT_SECRET/],
    ['a secret without issuer and audience', { AUTH_JWT_SECRET: SECRET }, /AUTH_JWT_ISSUER[\s\S]*AUTH_JWT_AUDIENCE/],
    ['both a secret and a JWKS', { AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'https://login.example/jwks', ...JWT_ENV }, /not both/],
    ['an issuer without any key (a misspelt key variable)', { AUTH_JWT_ISSUER: ISSUER }, /neither AUTH_JWT_SECRET nor AUTH_JWKS_URL/],
    ['HS256 with a JWKS', { AUTH_JWKS_URL: 'https://login.example/jwks', AUTH_JWT_ALGORITHMS: 'HS256', ...JWT_ENV }, /asymmetric/],
    ['an API key that is not a SHA-256 digest', { AUTH_API_KEYS: 'app:plain-text-key' }, /AUTH_API_KEYS/],
  ])('refuses %s', (_, env, message) => {
    expect(() => loadConfig({ NODE_ENV: 'test', ...env })).toThrow(message);
  });
});
