// Bearer JWTs from the character app's login, verified with jose: an HS256 shared secret or a JWKS URL
// (RS256/ES256, keys cached and refreshed by jose when an unknown `kid` shows up). Issuer, audience and
// expiry are always checked; a token without `exp` is refused, since it would be valid forever.
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Viewer } from '../pipeline/characterAccess.js';
import { type ClaimNames, viewerFromClaims } from './claims.js';
import { AuthUnavailableError, UnauthenticatedError } from './errors.js';

export interface JwtSettings {
  key: { secret: string } | { jwksUrl: string };
  issuer: string;
  audience: string[];
  algorithms: string[];
  claims: ClaimNames;
  clockToleranceSeconds: number;
}

/** jose error codes that mean "this token is not acceptable", as opposed to "the key server failed". */
const REFUSED_TOKEN_CODES = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWK_INVALID',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

function refusalMessage(error: errors.JOSEError): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `token refused: ${error.claim} claim ${error.reason === 'missing' ? 'missing' : 'not accepted'}`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'token signature does not verify';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'token signed with an algorithm that is not accepted';
  return 'malformed token';
}

export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;

  constructor(private readonly settings: JwtSettings) {
    this.key = 'secret' in settings.key
      ? new TextEncoder().encode(settings.key.secret)
      : createRemoteJWKSet(new URL(settings.key.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 });
  }

  describe(): string {
    const source = 'secret' in this.settings.key ? 'shared secret' : `JWKS ${this.settings.key.jwksUrl}`;
    return `bearer JWT (${this.settings.algorithms.join('/')}, ${source}, issuer ${this.settings.issuer}, username claim '${this.settings.claims.username}')`;
  }

  async verify(token: string): Promise<Viewer> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key as JWTVerifyGetKey, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.settings.algorithms,
        clockTolerance: this.settings.clockToleranceSeconds,
        requiredClaims: ['exp'],
      }));
    } catch (error) {
      if (error instanceof errors.JOSEError && REFUSED_TOKEN_CODES.has(error.code)) throw new UnauthenticatedError(refusalMessage(error), 'invalid');
      // Timeouts, unreachable or broken JWKS: the token may well be good, so the caller should retry later.
      throw new AuthUnavailableError(`could not verify the token: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return viewerFromClaims(payload, this.settings.claims);
  }
}
