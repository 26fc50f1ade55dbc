// What a caller presents, read the same way from HTTP headers and from a graphql-ws connection_init payload
// ({ authorization: 'Bearer …' } or { 'x-api-key': …, 'x-on-behalf-of': … }). Only the shape is checked here;
// verification is the authenticator's job.
import type { IncomingHttpHeaders } from 'node:http';
import { UnauthenticatedError } from './errors.js';

export type Credentials =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'apiKey'; key: string; onBehalfOf: string | undefined };

export const API_KEY_HEADER = 'x-api-key';
export const ON_BEHALF_OF_HEADER = 'x-on-behalf-of';

/** Real tokens are a few kilobytes at most; anything longer is refused before any parsing. */
const MAX_CREDENTIAL_LENGTH = 8_192;
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

type Lookup = (name: string) => string | undefined;

function credentialsFrom(lookup: Lookup): Credentials {
  const authorization = lookup('authorization');
  const key = lookup(API_KEY_HEADER);
  if (authorization !== undefined && key !== undefined) throw new UnauthenticatedError('send either a bearer token or an API key, not both', 'invalid');
  for (const value of [authorization, key, lookup(ON_BEHALF_OF_HEADER)]) {
    if (value !== undefined && value.length > MAX_CREDENTIAL_LENGTH) throw new UnauthenticatedError('credentials too long', 'invalid');
  }
  if (key !== undefined) {
    if (key.trim() === '') throw new UnauthenticatedError('empty API key', 'invalid');
    return { kind: 'apiKey', key: key.trim(), onBehalfOf: lookup(ON_BEHALF_OF_HEADER) };
  }
  if (authorization === undefined || authorization.trim() === '') return { kind: 'none' };
  const token = BEARER.exec(authorization.trim())?.[1];
  if (!token) throw new UnauthenticatedError("the Authorization header must be 'Bearer <token>'", 'invalid');
  return { kind: 'bearer', token };
}

export function credentialsFromHeaders(headers: IncomingHttpHeaders): Credentials {
  return credentialsFrom((name) => {
    const value = headers[name];
    // Node joins most repeated headers, but not all; two credentials in one request are refused, not guessed at.
    if (Array.isArray(value)) throw new UnauthenticatedError(`repeated ${name} header`, 'invalid');
    return value;
  });
}

export function credentialsFromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): Credentials {
  const byLowerName = new Map(Object.entries(params ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return credentialsFrom((name) => {
    const value = byLowerName.get(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new UnauthenticatedError(`connection parameter ${name} must be a string`, 'invalid');
    return value;
  });
}
