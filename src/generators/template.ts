// Request templates for GPU backends: a JSON document (a RunPod `input`, a ComfyUI API-format workflow) with
// placeholders where the prompt, seed and size go. `"{{seed}}"` as a whole string becomes the number; inside a
// longer string a placeholder is replaced as text ("portrait of {{prompt}}"). Templates are read and checked
// once at start, so a typo in a placeholder is a configuration error, not a failed variation.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ImageRequest } from '../ports.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

const VALUES = {
  prompt: (r: ImageRequest) => r.prompt,
  negative_prompt: (r: ImageRequest) => r.negativePrompt,
  seed: (r: ImageRequest) => r.seed,
  width: (r: ImageRequest) => r.width,
  height: (r: ImageRequest) => r.height,
  variation: (r: ImageRequest) => r.variation,
} satisfies Record<string, (request: ImageRequest) => string | number>;

type PlaceholderName = keyof typeof VALUES;
export const PLACEHOLDERS = Object.keys(VALUES) as PlaceholderName[];

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

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

/** A fresh copy of the template with every placeholder replaced by the request's values. */
export function fillTemplate(template: Json, request: ImageRequest): Json {
  if (typeof template === 'string') {
    const whole = /^\{\{\s*([a-z_]+)\s*\}\}$/.exec(template);
    if (whole && isPlaceholder(whole[1]!)) return VALUES[whole[1]](request);
    return template.replace(PLACEHOLDER, (match, name: string) => (isPlaceholder(name) ? String(VALUES[name](request)) : match));
  }
  if (Array.isArray(template)) return template.map((item) => fillTemplate(item, request));
  if (template !== null && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fillTemplate(value, request)]));
  }
  return template;
}
