// Which web pages may use the API from a browser. Browsers send `Origin` on cross-site requests and on every
// WebSocket handshake; clients that are not browsers (servers, the CLI, curl) send none and are not concerned.
// Over HTTP the browser enforces the rule: without CORS headers it refuses a page of another site the answer
// (and Apollo's CSRF prevention refuses the "simple" requests it would send without asking). A WebSocket has
// no such protection — any page may open one to any host — so the server applies the same rule itself at
// the upgrade. One rule for both: the service's own origin, and the operator's ALLOWED_ORIGINS.
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';

// Headers our clients send: JSON bodies, credentials (docs/auth.md), and Apollo's CSRF preflight markers.
const ALLOWED_REQUEST_HEADERS = 'content-type, authorization, x-api-key, x-on-behalf-of, apollo-require-preflight, x-apollo-operation-name';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export class OriginPolicy {
  private readonly allowed: Set<string>;

  /** `allowed`: origins of other sites (URL.origin form); `publicUrl`: the service's own address behind a proxy. */
  constructor(allowed: readonly string[], publicUrl?: string) {
    this.allowed = new Set(allowed);
    if (publicUrl && URL.canParse(publicUrl)) this.allowed.add(new URL(publicUrl).origin);
  }

  /** True for requests without Origin, from the service's own page, or from an allowed origin. */
  allows(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    return origin === undefined || this.isSameOrigin(origin, request.headers.host) || this.allowed.has(origin);
  }

  /** CORS answer headers for an allowed other site; none otherwise (the browser then keeps refusing). */
  corsHeaders(request: IncomingMessage): OutgoingHttpHeaders {
    const origin = request.headers.origin;
    if (origin === undefined || !this.allowed.has(origin)) return {};
    return { 'access-control-allow-origin': origin, vary: 'Origin' };
  }

  /** The answer to a CORS preflight (OPTIONS with Access-Control-Request-Method) from an allowed site. */
  preflightHeaders(request: IncomingMessage): OutgoingHttpHeaders | null {
    const cors = this.corsHeaders(request);
    if (!cors['access-control-allow-origin'] || request.headers['access-control-request-method'] === undefined) return null;
    return {
      ...cors,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
    };
  }

  /** The page was served by this host: compared as URL hosts, so default ports and letter case agree. */
  private isSameOrigin(origin: string, host: string | undefined): boolean {
    if (!host || !URL.canParse(origin)) return false;
    const page = new URL(origin);
    return URL.canParse(`${page.protocol}//${host}`) && new URL(`${page.protocol}//${host}`).host === page.host;
  }
}
