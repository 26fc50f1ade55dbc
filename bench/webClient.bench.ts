// The web client's weight and serving cost: what a browser downloads to show the page and the playground
// (gzip, as a proxy in front would send it), and how long the service takes to answer GET / and an asset.
// Needs the build (`npm run build`, which `npm run bench` runs first).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { defaultWebRoot, WebClient } from '../src/http/webClient.js';
import { percentile, printTable, type BenchRow } from './support.js';

const PAGE_TARGET_KB = 50;
const PLAYGROUND_TARGET_KB = 2_048;
const SERVE_P99_TARGET_MS = 5;
const REQUESTS = 500;
/** Untimed requests first, so the figures describe a warm server rather than JIT compilation. */
const WARM_UP = 50;

/** Scripts, preloads and stylesheets a page names in its HTML: what the browser fetches before it can run. */
async function initialDownload(root: string, page: string): Promise<{ rawKb: number; gzipKb: number; files: number }> {
  const html = await readFile(path.join(root, page), 'utf8');
  const assets = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1] as string);
  let raw = 0;
  let gzip = 0;
  for (const asset of [page, ...assets]) {
    const body = await readFile(path.join(root, asset));
    raw += body.length;
    gzip += gzipSync(body).length;
  }
  return { rawKb: raw / 1024, gzipKb: gzip / 1024, files: assets.length + 1 };
}

async function serveTimes(root: string, urlPath: string): Promise<number[]> {
  const client = new WebClient({ root, playground: true }, '/graphql');
  const server = createServer((request, response) => {
    void client.handle(request, response, new URL(request.url ?? '/', 'http://localhost').pathname).then((handled) => {
      if (!handled) response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${urlPath}`;
  const times: number[] = [];
  try {
    for (let i = 0; i < WARM_UP + REQUESTS; i++) {
      const started = performance.now();
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      await response.arrayBuffer();
      if (i >= WARM_UP) times.push(performance.now() - started);
    }
  } finally {
    server.close();
  }
  return times.sort((a, b) => a - b);
}

export async function run(): Promise<void> {
  const root = defaultWebRoot();
  if (!existsSync(path.join(root, 'index.html'))) throw new Error(`no web build in ${root}: run npm run build`);
  const page = await initialDownload(root, 'index.html');
  const playground = await initialDownload(root, 'playground.html');
  const rows: BenchRow[] = [
    { metric: `page initial download, gzip (${page.files} files)`, value: `${page.gzipKb.toFixed(1)} KB`, target: `<= ${PAGE_TARGET_KB} KB`, ok: page.gzipKb <= PAGE_TARGET_KB },
    { metric: 'page initial download, raw', value: `${page.rawKb.toFixed(1)} KB`, target: '-', ok: null },
    { metric: `playground initial download, gzip (${playground.files} files)`, value: `${playground.gzipKb.toFixed(0)} KB`, target: `<= ${PLAYGROUND_TARGET_KB} KB`, ok: playground.gzipKb <= PLAYGROUND_TARGET_KB },
  ];
  const html = await readFile(path.join(root, 'index.html'), 'utf8');
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] ?? '/';
  for (const [label, urlPath] of [['GET /', '/'], ['GET /graphql (playground)', '/graphql'], ['GET page script', script]] as const) {
    const times = await serveTimes(root, urlPath);
    const p99 = percentile(times, 99);
    rows.push({ metric: `${label}, p50 / p99 of ${REQUESTS}`, value: `${percentile(times, 50).toFixed(2)} / ${p99.toFixed(2)} ms`, target: `p99 <= ${SERVE_P99_TARGET_MS} ms`, ok: p99 <= SERVE_P99_TARGET_MS });
  }
  printTable('web client: download weight and serving time (shared machine: times are noisy)', rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
