// IDENTITY_CONDITIONING and the identity templates, checked at start: conditioning is on where the backend
// has somewhere to put the avatar, off (and said so once) where it has not, and a template in the wrong role
// is a configuration error that names the setting.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createComfyUiGenerator } from '../../src/generators/comfyui/index.js';
import { createRunPodGenerator } from '../../src/generators/runpod/index.js';
import { bundledTemplatePath, TemplateError } from '../../src/generators/template.js';

const bundled = (name: string) => bundledTemplatePath(name);
const RUNPOD = { IMAGE_GENERATOR: 'runpod', RUNPOD_API_KEY: 'rp_key_for_tests', RUNPOD_ENDPOINT_ID: 'endpoint' };

function logged(build: (logger: pino.Logger) => unknown): string[] {
  const lines: string[] = [];
  build(pino({ level: 'info' }, { write: (line: string) => lines.push((JSON.parse(line) as { msg: string }).msg) }));
  return lines.filter((line) => line.includes('identity conditioning'));
}

describe('identity conditioning settings', () => {
  it('is on where the backend has an identity template, and for the offline renderer; off otherwise', () => {
    expect(loadConfig({}).identityConditioning).toBe('avatar');
    expect(loadConfig({ IMAGE_GENERATOR: 'comfyui' }).identityConditioning).toBe('none');
    expect(loadConfig({ IMAGE_GENERATOR: 'comfyui', COMFYUI_IDENTITY_WORKFLOW: bundled('comfyui/sdxl-pulid.json') }).identityConditioning).toBe('avatar');
    expect(loadConfig({ ...RUNPOD, RUNPOD_IDENTITY_TEMPLATE: bundled('runpod/worker-comfyui-sdxl-pulid.json'), IDENTITY_CONDITIONING: 'none' }).identityConditioning).toBe('none');
    expect(loadConfig({}).IDENTITY_STRENGTH).toBe(0.8);
  });

  it('refuses avatar conditioning with nowhere to put the avatar, and a strength out of range', () => {
    expect(() => loadConfig({ IMAGE_GENERATOR: 'comfyui', IDENTITY_CONDITIONING: 'avatar' })).toThrow(ConfigError);
    expect(() => loadConfig({ IMAGE_GENERATOR: 'comfyui', IDENTITY_CONDITIONING: 'avatar' })).toThrow(/IDENTITY_CONDITIONING: 'avatar' with IMAGE_GENERATOR=comfyui needs COMFYUI_IDENTITY_WORKFLOW/);
    expect(() => loadConfig({ ...RUNPOD, IDENTITY_CONDITIONING: 'avatar' })).toThrow(/needs RUNPOD_IDENTITY_TEMPLATE/);
    expect(() => loadConfig({ IDENTITY_STRENGTH: '4' })).toThrow(/IDENTITY_STRENGTH/);
    expect(() => loadConfig({ IDENTITY_CONDITIONING: 'faces' })).toThrow(/IDENTITY_CONDITIONING/);
  });

  it('says once at start whether variations are conditioned', () => {
    expect(logged((logger) => createComfyUiGenerator(loadConfig({ IMAGE_GENERATOR: 'comfyui' }), logger).close())).toEqual([
      'identity conditioning off (no COMFYUI_IDENTITY_WORKFLOW): variations are text-to-image from the prompt alone',
    ]);
    expect(logged((logger) => createRunPodGenerator(loadConfig({ ...RUNPOD, RUNPOD_IDENTITY_TEMPLATE: bundled('runpod/worker-comfyui-sdxl-ipadapter-faceid.json') }), logger))).toEqual([
      'identity conditioning on: variations are conditioned on the avatar',
    ]);
  });

  it('refuses an identity template without a reference slot, and a plain one with a slot', () => {
    const comfy = (env: Record<string, string>) => () => createComfyUiGenerator(loadConfig({ IMAGE_GENERATOR: 'comfyui', ...env })).close();
    expect(comfy({ COMFYUI_IDENTITY_WORKFLOW: bundled('comfyui/sdxl-txt2img.json') })).toThrow(TemplateError);
    expect(comfy({ COMFYUI_IDENTITY_WORKFLOW: bundled('comfyui/sdxl-txt2img.json') })).toThrow(/COMFYUI_IDENTITY_WORKFLOW: no LoadImage node has "image": "\{\{reference_image\}\}"/);
    expect(comfy({ COMFYUI_WORKFLOW: bundled('comfyui/sdxl-ipadapter-faceid.json') })).toThrow(/COMFYUI_WORKFLOW: \{\{reference_image\}\} belongs in COMFYUI_IDENTITY_WORKFLOW/);
    const runpod = (env: Record<string, string>) => () => createRunPodGenerator(loadConfig({ ...RUNPOD, ...env }));
    expect(runpod({ RUNPOD_IDENTITY_TEMPLATE: bundled('runpod/plain-sdxl.json') })).toThrow(/RUNPOD_IDENTITY_TEMPLATE: an identity template needs a \{\{reference_image\}\} placeholder/);
    expect(runpod({ RUNPOD_IDENTITY_TEMPLATE: '{"workflow": {"1": {"class_type": "SaveImage", "inputs": {"filename_prefix": "{{reference_image}}"}}}}' })).toThrow(/no LoadImage node has/);
    expect(runpod({ RUNPOD_INPUT_TEMPLATE: bundled('runpod/plain-sdxl-reference.json') })).toThrow(/belongs in RUNPOD_IDENTITY_TEMPLATE/);
    // Every bundled identity template passes.
    for (const name of ['sdxl-ipadapter-faceid', 'sdxl-pulid']) expect(comfy({ COMFYUI_IDENTITY_WORKFLOW: bundled(`comfyui/${name}.json`) })).not.toThrow();
    for (const name of ['worker-comfyui-sdxl-ipadapter-faceid', 'worker-comfyui-sdxl-pulid', 'plain-sdxl-reference']) expect(runpod({ RUNPOD_IDENTITY_TEMPLATE: bundled(`runpod/${name}.json`) })).not.toThrow();
  });
});
