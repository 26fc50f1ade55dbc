// Chooses how callers authenticate, from the configuration: tokens and/or API keys when configured,
// otherwise the explicit single-user development mode (which production refuses).
import { authConfigured, ConfigError, type Config } from '../config.js';
import { ApiKeyRing, parseApiKeys } from './apiKeys.js';
import { type Authenticator, DevModeAuthenticator } from './authenticator.js';
import { JwtVerifier } from './jwt.js';
import { TokenAuthenticator } from './tokenAuthenticator.js';

export type { Authenticator } from './authenticator.js';

function jwtVerifierFor(config: Config): JwtVerifier | null {
  const key = config.AUTH_JWT_SECRET ? { secret: config.AUTH_JWT_SECRET } : config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : null;
  if (!key || !config.AUTH_JWT_ISSUER || !config.AUTH_JWT_AUDIENCE) return null;
  return new JwtVerifier({
    key,
    issuer: config.AUTH_JWT_ISSUER,
    audience: config.AUTH_JWT_AUDIENCE.split(',').map((audience) => audience.trim()).filter(Boolean),
    algorithms: config.AUTH_JWT_ALGORITHMS?.split(',') ?? ('secret' in key ? ['HS256'] : ['RS256', 'ES256']),
    claims: { username: config.AUTH_USERNAME_CLAIM, admin: config.AUTH_ADMIN_CLAIM, adminValue: config.AUTH_ADMIN_VALUE },
    clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
  });
}

export function createAuthenticator(config: Config): Authenticator {
  if (!authConfigured(config)) {
    // loadConfig refuses this too; checked again here for a Config built by other means.
    if (config.NODE_ENV === 'production') throw new ConfigError('NODE_ENV=production refuses single-user development mode: configure AUTH_JWT_SECRET, AUTH_JWKS_URL or AUTH_API_KEYS');
    return new DevModeAuthenticator(config.DEV_USERNAME);
  }
  return new TokenAuthenticator(jwtVerifierFor(config), config.AUTH_API_KEYS ? new ApiKeyRing(parseApiKeys(config.AUTH_API_KEYS)) : null);
}
