// Who a verified token or an API key's caller is: the username and whether they are an admin.
import type { Viewer } from '../pipeline/characterAccess.js';
import { UnauthenticatedError } from './errors.js';

export interface ClaimNames {
  /** Claim holding the username, e.g. 'sub', 'preferred_username' or 'https://app.example/username'. */
  username: string;
  /** Claim holding roles; the viewer is an admin when `adminValue` is among them. */
  admin: string;
  adminValue: string;
}

const MAX_USERNAME_LENGTH = 128;
// Control and format characters (incl. bidi overrides) would make log lines and folder names misleading.
const UNPRINTABLE = /[\p{Cc}\p{Cf}]/u;

/** The username as given, or an UnauthenticatedError naming `source` when it is unusable. */
export function checkedUsername(value: unknown, source: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new UnauthenticatedError(`${source} carries no username`, 'invalid');
  if (value.length > MAX_USERNAME_LENGTH || UNPRINTABLE.test(value)) throw new UnauthenticatedError(`${source} carries an unusable username`, 'invalid');
  return value;
}

/**
 * A claim by exact name first (URL-like custom claims contain dots), then as a dotted path for nested
 * claims such as Keycloak's `realm_access.roles`.
 */
export function claimValue(payload: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in payload) return payload[name];
  let current: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof current !== 'object' || current === null || !(part in current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Roles come as an array, a single string, or an OAuth-style space-separated string. */
function hasRole(value: unknown, role: string): boolean {
  if (Array.isArray(value)) return value.includes(role);
  if (typeof value === 'string') return value.split(/\s+/).includes(role);
  return false;
}

export function viewerFromClaims(payload: Readonly<Record<string, unknown>>, names: ClaimNames): Viewer {
  return {
    username: checkedUsername(claimValue(payload, names.username), `the token's ${names.username} claim`),
    isAdmin: hasRole(claimValue(payload, names.admin), names.adminValue),
  };
}
