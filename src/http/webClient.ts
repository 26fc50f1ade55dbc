// The built web client (dist/web, made by `npm run build`): the page at /, its hashed assets under /assets/,
// and the GraphQL playground for browsers that open /graphql. A missing build answers 503 with the command
// that makes it, rather than a bare 404 that looks like a routing bug.
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logger.js';
import { HttpError } from './body.js';
import { serveFile } from './staticFiles.js';

const ASSETS_ROUTE = '/assets/';
// Asset names carry a content hash, so a browser may keep them for good; the HTML names the current ones.
const ASSET_CACHE = 'public, max-age=31536000, immutable';
const PAGE_CACHE = 'no-cache';

// Nothing outside this host: the page and the playground must work on a network without internet.
// Images may come from a cloud store (https:). Monaco (the playground's editor) sets inline styles.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface WebClientOptions {
  /** The vite build's output folder. */
  root: string;
  /** Serve the playground at GET /graphql for browsers. */
  playground: boolean;
  /** Hears of a missing build; none: it is not logged. */
  logger?: Logger;
}

/** dist/web beside this file's package.json, whether running from src/ (tests) or dist/src/ (npm start). */
export function defaultWebRoot(): string {
  let folder = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('charsheet: no package.json above the server code');
    folder = parent;
  }
  return path.join(folder, 'dist', 'web');
}

/** Browsers navigating to a URL ask for HTML first; GraphQL clients ask for JSON. */
function wantsHtml(request: IncomingMessage): boolean {
  return (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
}

export class WebClient {
  constructor(
    private readonly options: WebClientOptions,
    private readonly graphqlPath: string,
  ) {}

  /** Answers and returns true when the request is for the web client; false lets other routes try. */
  async handle(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<boolean> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (pathname === '/' || pathname === '/index.html') return this.servePage(response, 'index.html');
    if (pathname === this.graphqlPath && this.options.playground && wantsHtml(request)) return this.servePage(response, 'playground.html');
    if (pathname.startsWith(ASSETS_ROUTE)) {
      return serveFile(response, path.join(this.options.root, 'assets'), pathname.slice(ASSETS_ROUTE.length), ASSET_CACHE);
    }
    return false;
  }

  private async servePage(response: ServerResponse, file: string): Promise<true> {
    response.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
    response.setHeader('referrer-policy', 'no-referrer');
    if (await serveFile(response, this.options.root, file, PAGE_CACHE)) return true;
    response.removeHeader('content-security-policy');
    // The folder is for the operator (a log line), not for the browser that asked.
    this.options.logger?.warn({ file, root: this.options.root }, 'the web client is not built: run npm run build');
    throw new HttpError(503, `the web client is not built (${file} is missing): run npm run build`, 'WEB_CLIENT_NOT_BUILT');
  }
}
