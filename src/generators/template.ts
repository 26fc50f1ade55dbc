// Request templates for GPU backends: a JSON document (a RunPod `input`, a ComfyUI API-format workflow) with
// placeholders where the prompt, seed and size go. `"{{seed}}"` as a whole string becomes the number; inside a
// longer string a placeholder is replaced as text ("portrait of {{prompt}}"). Templates are read and checked
// once at start, so a typo in a placeholder is a configuration error, not a failed variation.
// Identity templates also hold {{reference_image}} (what stands for the avatar in that backend: an uploaded
// file's name in ComfyUI and worker-comfyui, base64 for plain workers) and {{identity_strength}}.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageRequest } from '../ports.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Values that come from the adapter and configuration rather than from the request. */
export interface TemplateExtras {
  /** What stands for the reference image in this backend; set only when the request is conditioned on one. */
  referenceImage?: string;
  /** IDENTITY_STRENGTH: the identity node's weight. */
  identityStrength?: number;
}

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

function required<T>(value: T | undefined, placeholder: string): T {
  // Adapters pick an identity template only for a request with a reference, so this is a bug, not bad input.
  if (value === undefined) throw new TemplateError(`{{${placeholder}}} was filled without a value`);
  return value;
}

const VALUES = {
  prompt: (r: ImageRequest) => r.prompt,
  negative_prompt: (r: ImageRequest) => r.negativePrompt,
  seed: (r: ImageRequest) => r.seed,
  width: (r: ImageRequest) => r.width,
  height: (r: ImageRequest) => r.height,
  variation: (r: ImageRequest) => r.variation,
  reference_image: (_: ImageRequest, extras: TemplateExtras) => required(extras.referenceImage, 'reference_image'),
  identity_strength: (_: ImageRequest, extras: TemplateExtras) => required(extras.identityStrength, 'identity_strength'),
} satisfies Record<string, (request: ImageRequest, extras: TemplateExtras) => string | number>;

export type PlaceholderName = keyof typeof VALUES;
export const PLACEHOLDERS = Object.keys(VALUES) as PlaceholderName[];
/** The placeholder an identity template must hold: where the reference image goes. */
export const REFERENCE_SLOT = '{{reference_image}}';

function isPlaceholder(name: string): name is PlaceholderName {
  return Object.hasOwn(VALUES, name);
}

function placeholdersIn(value: Json, found: Set<string>): void {
  if (typeof value === 'string') for (const match of value.matchAll(PLACEHOLDER)) found.add(match[1]!);
  else if (Array.isArray(value)) value.forEach((item) => placeholdersIn(item, found));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((item) => placeholdersIn(item, found));
}

/** The package's own templates/ folder, found from this file whether it runs from src/ or dist/src/. */
export function bundledTemplatePath(relative: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(dir, 'templates', relative);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new TemplateError(`bundled template ${relative} is missing from this installation`);
}

/** Parses a template given inline (starts with '{') or as a file path, and checks its placeholders. */
export function loadTemplate(source: string, what: string): Json {
  const inline = source.trimStart().startsWith('{');
  let text: string;
  try {
    text = inline ? source : readFileSync(source, 'utf8');
  } catch (error) {
    throw new TemplateError(`${what}: cannot read ${source} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let template: Json;
  try {
    template = JSON.parse(text) as Json;
  } catch (error) {
    throw new TemplateError(`${what}: ${inline ? 'the inline template' : source} is not valid JSON (${(error as Error).message})`);
  }
  if (template === null || typeof template !== 'object' || Array.isArray(template)) throw new TemplateError(`${what}: the template must be a JSON object`);
  const found = new Set<string>();
  placeholdersIn(template, found);
  const unknown = [...found].filter((name) => !isPlaceholder(name));
  if (unknown.length > 0) throw new TemplateError(`${what}: unknown placeholder(s) ${unknown.map((n) => `{{${n}}}`).join(', ')}; known: ${PLACEHOLDERS.map((n) => `{{${n}}}`).join(', ')}`);
  return template;
}

/** Whether the template holds the placeholder anywhere. */
export function hasPlaceholder(template: Json, name: PlaceholderName): boolean {
  const found = new Set<string>();
  placeholdersIn(template, found);
  return found.has(name);
}

/**
 * An identity template (`identitySetting`) must name where the reference goes; the plain template must not,
 * because it also makes the avatar, which has no reference to put there.
 */
export function checkReferenceSlot(template: Json, what: string, role: 'identity' | 'plain', identitySetting: string): void {
  const has = hasPlaceholder(template, 'reference_image');
  if (role === 'identity' && !has) throw new TemplateError(`${what}: an identity template needs a ${REFERENCE_SLOT} placeholder where the reference image goes (docs/backends.md)`);
  if (role === 'plain' && has) throw new TemplateError(`${what}: ${REFERENCE_SLOT} belongs in ${identitySetting}; this template also makes the avatar, which has no reference`);
}

/** A fresh copy of the template with every placeholder replaced by the request's values. */
export function fillTemplate(template: Json, request: ImageRequest, extras: TemplateExtras = {}): Json {
  if (typeof template === 'string') {
    const whole = /^\{\{\s*([a-z_]+)\s*\}\}$/.exec(template);
    if (whole && isPlaceholder(whole[1]!)) return VALUES[whole[1]](request, extras);
    return template.replace(PLACEHOLDER, (match, name: string) => (isPlaceholder(name) ? String(VALUES[name](request, extras)) : match));
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, request, extras));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillTemplate(value, request, extras)]));
  }
  return template;
}
