import type { IncomingHttpHeaders } from 'node:http';
import type { Viewer } from '../pipeline/characterAccess.js';

/** Who is calling: from HTTP headers, or from a graphql-ws `connection_init` payload. */
export interface Authenticator {
  /** Describes the mode for the start-up log line. */
  readonly description: string;
  fromHeaders(headers: IncomingHttpHeaders): Promise<Viewer>;
  fromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): Promise<Viewer>;
}

/**
 * Single-user development mode: every caller is the configured user. Only for the embedded default; a
 * production deployment must configure real authentication.
 */
export class DevModeAuthenticator implements Authenticator {
  readonly description: string;
  private readonly viewer: Viewer;

  constructor(username: string) {
    this.viewer = { username, isAdmin: false };
    this.description = `single-user development mode: every request acts as '${username}'`;
  }

  async fromHeaders(): Promise<Viewer> {
    return this.viewer;
  }

  async fromConnectionParams(): Promise<Viewer> {
    return this.viewer;
  }
}
