// Authentication when the service is deployed: every caller presents a bearer JWT or an API key. Nobody is
// let in anonymously; a request without credentials is UNAUTHENTICATED, like one with bad credentials.
import type { IncomingHttpHeaders } from 'node:http';
import type { Viewer } from '../pipeline/characterAccess.js';
import type { ApiKeyRing } from './apiKeys.js';
import type { Authenticator } from './authenticator.js';
import { checkedUsername } from './claims.js';
import { type Credentials, credentialsFromConnectionParams, credentialsFromHeaders, ON_BEHALF_OF_HEADER } from './credentials.js';
import { UnauthenticatedError } from './errors.js';
import type { JwtVerifier } from './jwt.js';

export class TokenAuthenticator implements Authenticator {
  readonly description: string;

  constructor(
    private readonly jwt: JwtVerifier | null,
    private readonly apiKeys: ApiKeyRing | null,
  ) {
    const modes = [jwt?.describe(), apiKeys ? `${apiKeys.size} API key(s) with ${ON_BEHALF_OF_HEADER}` : undefined].filter(Boolean);
    this.description = `required: ${modes.join(' or ')}`;
  }

  async fromHeaders(headers: IncomingHttpHeaders): Promise<Viewer> {
    return this.authenticate(credentialsFromHeaders(headers));
  }

  async fromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): Promise<Viewer> {
    return this.authenticate(credentialsFromConnectionParams(params));
  }

  private async authenticate(credentials: Credentials): Promise<Viewer> {
    switch (credentials.kind) {
      case 'none':
        throw new UnauthenticatedError('authentication required: send Authorization: Bearer <token>', 'missing');
      case 'bearer':
        if (!this.jwt) throw new UnauthenticatedError('bearer tokens are not accepted here; use an API key', 'invalid');
        return this.jwt.verify(credentials.token);
      case 'apiKey': {
        if (!this.apiKeys || this.apiKeys.holderOf(credentials.key) === null) throw new UnauthenticatedError('unknown API key', 'invalid');
        // A key acts for the users of the app holding it, never as an admin: admins come from tokens only.
        return { username: checkedUsername(credentials.onBehalfOf, `the ${ON_BEHALF_OF_HEADER} header`), isAdmin: false };
      }
    }
  }
}
