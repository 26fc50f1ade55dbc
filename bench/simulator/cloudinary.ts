// A local stand-in for Cloudinary's upload API and delivery CDN, over HTTPS like the real one (the SDK picks
// http or https once, at load, from its global config, so a plain-HTTP fake would need global state). It checks
// each upload's signature the way Cloudinary documents: every parameter except file, cloud_name,
// resource_type, api_key and signature, sorted, joined as k=v with '&', the secret appended, SHA-1 or SHA-256.
// It files assets in fixed-folder or dynamic-folder fashion and counts uploads per public_id. Removal speaks
// the documented calls too: the upload API's signed `destroy`, and the Admin API's (HTTP basic auth) delete by
// prefix, which answers at most `deletePageSize` assets per call with `partial` and a `next_cursor`.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent, createServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspectImage } from '../../src/generators/imageBytes.js';
import { listen, readBody, sendJson } from './server.js';

export interface FakeCloudinaryOptions {
  cloudName?: string;
  apiKey?: string;
  apiSecret?: string;
  folderMode?: 'dynamic' | 'fixed';
  /** Assets removed per delete-by-prefix call (Cloudinary: 1,000). */
  deletePageSize?: number;
}

interface StoredAsset {
  publicId: string;
  resourceType: string;
  bytes: Buffer;
  version: number;
  format: string;
  /** Media Library folder: asset_folder in dynamic mode, the public_id's path in fixed mode. */
  folder: string;
  uploads: number;
}

/** A throw-away self-signed certificate for 127.0.0.1, made with the system's openssl. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(path.join(tmpdir(), 'fake-cloudinary-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The upload API's calls come as multipart/form-data: the signed parameters, and the file for an upload. */
async function multipartForm(request: IncomingMessage, url: URL): Promise<{ params: Record<string, string>; file: Buffer | undefined }> {
  const body = await readBody(request);
  const form = await new Request(url.href, { method: 'POST', headers: { 'content-type': request.headers['content-type'] ?? '' }, body }).formData();
  const params: Record<string, string> = {};
  let file: Buffer | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') params[name] = value;
    else file = Buffer.from(await value.arrayBuffer());
  }
  return { params, file };
}

const UNSIGNED = new Set(['file', 'cloud_name', 'resource_type', 'api_key', 'signature']);

/** Cloudinary's string to sign (signature version 2 escapes '&' inside values). */
export function stringToSign(params: Record<string, string>): string {
  return Object.entries(params)
    .filter(([key, value]) => !UNSIGNED.has(key) && value !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`.replace(/&/g, '%26'))
    .join('&');
}

export async function startFakeCloudinary(options: FakeCloudinaryOptions = {}) {
  const cloudName = options.cloudName ?? 'charsheet-test';
  const apiKey = options.apiKey ?? '123456789012345';
  const apiSecret = options.apiSecret ?? 'fake-cloudinary-secret-abcdef';
  const tls = selfSignedCertificate();
  const assets = new Map<string, StoredAsset>();
  const faults: number[] = [];
  const stats = { uploads: 0, rejectedSignatures: 0, removals: 0 };
  let base = '';

  const error = (status: number, message: string) => ({ status, body: { error: { message } } });

  /** Checks an upload-API signature; an error answer, or null when the request is signed right. */
  const refusedSignature = (params: Record<string, string>) => {
    if (params.api_key !== apiKey) return error(401, `Unknown API key ${params.api_key ?? ''}`);
    const toSign = stringToSign(params);
    const algorithm = params.signature?.length === 64 ? 'sha256' : 'sha1';
    const expected = createHash(algorithm).update(toSign + apiSecret).digest('hex');
    if (params.signature !== expected) {
      stats.rejectedSignatures += 1;
      return error(401, `Invalid Signature ${params.signature ?? ''}. String to sign - '${toSign}'.`);
    }
    const age = Date.now() / 1000 - Number(params.timestamp);
    if (!(age < 3600)) return error(400, `Stale request - reported time is ${params.timestamp} which is more than 1 hour ago`);
    return null;
  };

  const upload = (resourceType: string, params: Record<string, string>, file: Buffer | undefined) => {
    const fault = faults.shift();
    if (fault) return error(fault, `injected failure ${fault}`);
    const refused = refusedSignature(params);
    if (refused) return refused;
    if (!file) return error(400, 'Missing required parameter - file');
    const facts = resourceType === 'image' ? inspectImage(file) : null;
    if (resourceType === 'image' && !facts) return error(400, 'Invalid image file');
    const publicId = params.public_id || randomUUID().replace(/-/g, '').slice(0, 20);
    const id = `${resourceType}/${publicId}`;
    const existing = assets.get(id);
    if (existing && params.overwrite === 'false') return { status: 200, body: describe(existing) };
    const folder = options.folderMode === 'fixed' ? path.posix.dirname(publicId).replace(/^\.$/, '') : (params.asset_folder ?? '');
    const asset: StoredAsset = {
      publicId,
      resourceType,
      bytes: file,
      version: Math.max(Math.floor(Date.now() / 1000), (existing?.version ?? 0) + 1),
      format: facts ? facts.contentType.split('/')[1]!.replace('jpeg', 'jpg') : '',
      folder,
      uploads: (existing?.uploads ?? 0) + 1,
    };
    assets.set(id, asset);
    stats.uploads += 1;
    return { status: 200, body: { ...describe(asset), overwritten: Boolean(existing), width: facts?.width, height: facts?.height } };
  };

  const describe = (asset: StoredAsset) => {
    const file = `${asset.publicId}${asset.format ? `.${asset.format}` : ''}`;
    const secureUrl = `${base}/${cloudName}/${asset.resourceType}/upload/v${asset.version}/${file}`;
    return {
      asset_id: createHash('md5').update(`${asset.resourceType}/${asset.publicId}`).digest('hex'),
      public_id: asset.publicId,
      version: asset.version,
      resource_type: asset.resourceType,
      type: 'upload',
      format: asset.format || undefined,
      bytes: asset.bytes.length,
      url: secureUrl.replace(/^https:/, 'http:'),
      secure_url: secureUrl,
      ...(options.folderMode === 'fixed' ? { folder: asset.folder } : { asset_folder: asset.folder, display_name: path.posix.basename(asset.publicId) }),
    };
  };

  const destroy = (resourceType: string, params: Record<string, string>) => {
    const refused = refusedSignature(params);
    if (refused) return refused;
    const removed = assets.delete(`${resourceType}/${params.public_id ?? ''}`);
    if (removed) stats.removals += 1;
    return { status: 200, body: { result: removed ? 'ok' : 'not found' } };
  };

  const pageSize = options.deletePageSize ?? 1_000;
  const deleteByPrefix = (resourceType: string, prefix: string) => {
    const matching = [...assets.values()].filter((asset) => asset.resourceType === resourceType && asset.publicId.startsWith(prefix));
    const page = matching.slice(0, pageSize);
    for (const asset of page) assets.delete(`${resourceType}/${asset.publicId}`);
    stats.removals += page.length;
    const partial = matching.length > page.length;
    return { status: 200, body: { deleted: Object.fromEntries(page.map((asset) => [asset.publicId, 'deleted'])), partial, ...(partial ? { next_cursor: randomUUID() } : {}) } };
  };

  /** The Admin API authenticates with the key and secret as HTTP basic credentials. */
  const adminAuthorized = (header: string | undefined) => header === `Basic ${Buffer.from(`${apiKey}:${apiSecret}`).toString('base64')}`;

  const listening = await listen(
    async (request, response, url) => {
      const destroyPath = new RegExp(`^/v1_1/${cloudName}/(image|raw)/destroy$`).exec(url.pathname);
      if (request.method === 'POST' && destroyPath) {
        const answer = destroy(destroyPath[1]!, (await multipartForm(request, url)).params);
        return sendJson(response, answer.status, answer.body);
      }
      const adminPath = new RegExp(`^/v1_1/${cloudName}/(resources/(image|raw)/upload|folders/.+)$`).exec(url.pathname);
      if (request.method === 'DELETE' && adminPath) {
        if (!adminAuthorized(request.headers.authorization)) return sendJson(response, 401, { error: { message: 'Invalid credentials' } });
        const params = new URLSearchParams((await readBody(request)).toString());
        if (!adminPath[2]) return sendJson(response, 200, { deleted: [decodeURIComponent(adminPath[1]!.slice('folders/'.length))], deleted_count: 1 });
        const answer = deleteByPrefix(adminPath[2], params.get('prefix') ?? '');
        return sendJson(response, answer.status, answer.body);
      }
      const uploadPath = new RegExp(`^/v1_1/${cloudName}/(image|raw|video|auto)/upload$`).exec(url.pathname);
      if (request.method === 'POST' && uploadPath) {
        const { params, file } = await multipartForm(request, url);
        const answer = upload(uploadPath[1]!, params, file);
        return sendJson(response, answer.status, answer.body);
      }
      // Delivery, with or without the cloud name in the path (shared host vs private CDN).
      const delivery = /^(?:\/[^/]+)?\/(image|raw)\/upload\/(?:v\d+\/)?(.+)$/.exec(url.pathname);
      if (request.method === 'GET' && delivery) {
        const [, resourceType, file] = delivery;
        const publicId = resourceType === 'image' ? decodeURIComponent(file!).replace(/\.[a-z0-9]+$/i, '') : decodeURIComponent(file!);
        const asset = assets.get(`${resourceType}/${publicId}`);
        if (!asset) return sendJson(response, 404, { error: { message: 'Resource not found' } });
        response.writeHead(200, { 'content-type': asset.format ? `image/${asset.format}` : 'application/octet-stream' }).end(asset.bytes);
        return;
      }
      sendJson(response, 404, { error: { message: 'not found' } });
    },
    createServer(tls),
  );
  base = listening.url;

  return {
    uploadPrefix: listening.url,
    /** host:port for delivery URLs (CLOUDINARY_SECURE_DISTRIBUTION). */
    deliveryHost: new URL(listening.url).host,
    cloudinaryUrl: `cloudinary://${apiKey}:${apiSecret}@${cloudName}`,
    cloudName,
    apiKey,
    apiSecret,
    /** Trusts this server's certificate (and nothing else). */
    agent: new Agent({ ca: tls.cert, keepAlive: true }),
    stats,
    asset: (resourceType: string, publicId: string) => assets.get(`${resourceType}/${publicId}`),
    assets: () => [...assets.values()],
    /** The next uploads answer with these HTTP statuses, one each. */
    failNextUploads: (...statuses: number[]) => faults.push(...statuses),
    close: listening.close,
  };
}

export type FakeCloudinary = Awaited<ReturnType<typeof startFakeCloudinary>>;
