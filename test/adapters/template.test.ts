// Request templates: placeholders become the request's values, typos are caught when the template loads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listen, sendJson } from '../../bench/simulator/server.js';
import { solidPng } from '../../bench/simulator/png.js';
import { fetchImage, requestJson, retryAfterMs, safeUrl } from '../../src/generators/http.js';
import { fillTemplate, loadTemplate, TemplateError } from '../../src/generators/template.js';
import { imageRequest } from './support.js';

describe('request templates', () => {
  it('puts numbers where a placeholder is the whole value and text where it is part of one', () => {
    const template = loadTemplate('{"seed":"{{seed}}","size":["{{width}}","{{ height }}"],"text":"style: {{prompt}} ({{variation}})","n":1}', 'test');
    expect(fillTemplate(template, imageRequest({ seed: 7, prompt: 'Mira "the bold"' }))).toEqual({ seed: 7, size: [96, 64], text: 'style: Mira "the bold" (portrait_front)', n: 1 });
  });

  it('reads a template from a file and leaves the loaded template unchanged by filling', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'template-')), 'input.json');
    writeFileSync(file, JSON.stringify({ prompt: '{{prompt}}' }));
    const template = loadTemplate(file, 'RUNPOD_INPUT_TEMPLATE');
    fillTemplate(template, imageRequest());
    expect(template).toEqual({ prompt: '{{prompt}}' });
  });

  it('names the setting and the problem for unreadable, invalid or misspelt templates', () => {
    expect(() => loadTemplate('/nonexistent/input.json', 'RUNPOD_INPUT_TEMPLATE')).toThrow(/RUNPOD_INPUT_TEMPLATE: cannot read \/nonexistent\/input.json \(ENOENT\)/);
    expect(() => loadTemplate('{"prompt": ', 'RUNPOD_INPUT_TEMPLATE')).toThrow(/not valid JSON/);
    expect(() => loadTemplate('{"prompt": "{{promt}}"}', 'RUNPOD_INPUT_TEMPLATE')).toThrow(TemplateError);
    expect(() => loadTemplate('{"prompt": "{{promt}}"}', 'RUNPOD_INPUT_TEMPLATE')).toThrow(/unknown placeholder\(s\) \{\{promt\}\}/);
  });
});

describe('HTTP helpers', () => {
  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3_000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('keeps credentials and signatures out of URLs shown in messages', () => {
    expect(safeUrl('https://user:pw@bucket.s3.amazonaws.com/a/b.png?X-Amz-Signature=abc')).toBe('https://bucket.s3.amazonaws.com/a/b.png');
  });

  it('follows a storage redirect for an image, but never re-sends a POST elsewhere', async () => {
    const server = await listen((request, response, url) => {
      if (url.pathname === '/moved') return void response.writeHead(302, { location: '/image.png' }).end();
      if (url.pathname === '/image.png') return void response.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(8, 4, 1));
      sendJson(response, 307, {}, { location: '/elsewhere' });
    });
    try {
      await expect(fetchImage({ backend: 'test', what: 'downloading', url: `${server.url}/moved` })).resolves.toMatchObject({ width: 8, height: 4 });
      await expect(requestJson({ backend: 'test', what: 'submitting', url: `${server.url}/run`, init: { method: 'POST', body: '{}' } })).rejects.toThrow(/rejected with HTTP 307/);
    } finally {
      await server.close();
    }
  });
});
