// SVG to PNG with resvg (a Rust rasteriser, no browser, no system fonts): the pictures hold no text, so no
// font database is loaded, which also keeps start-up and each render fast.
import { renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js';

const OPTIONS: ResvgRenderOptions = { font: { loadSystemFonts: false }, logLevel: 'off' };

/**
 * Rasterises on libuv's thread pool, so the event loop keeps serving requests while a picture renders. An
 * abort cancels a render still waiting for a thread; one already running finishes and is then discarded.
 */
export async function renderPng(svg: string, signal?: AbortSignal): Promise<Uint8Array> {
  const rendered = await renderAsync(svg, OPTIONS, signal ?? null);
  return rendered.asPng();
}

