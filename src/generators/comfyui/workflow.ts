// A ComfyUI API-format workflow with the request written into the nodes named in configuration: the
// positive and negative CLIPTextEncode texts, the sampler's seed, the empty latent's size (batch of one).
// The node ids are checked against the workflow once, at start, so a wrong id is a configuration error. An
// identity workflow names its reference in a LoadImage node as "{{reference_image}}"; the adapter writes the
// uploaded file's name there.
import type { ImageRequest } from '../../ports.js';
import { fillTemplate, type Json, REFERENCE_SLOT, type TemplateExtras, TemplateError } from '../template.js';

export interface WorkflowNodes {
  prompt: string;
  negative: string;
  sampler: string;
  latent: string;
}

type Node = { class_type?: unknown; inputs?: Record<string, Json> };
export type Workflow = Record<string, Node>;

function inputsOf(workflow: Workflow, id: string, role: string, required: string[][]): Record<string, Json> {
  const node = workflow[id];
  if (!node || typeof node !== 'object' || !node.inputs || typeof node.inputs !== 'object') {
    throw new TemplateError(`COMFYUI workflow: the ${role} node "${id}" is not in the workflow (nodes: ${Object.keys(workflow).join(', ')})`);
  }
  for (const alternatives of required) {
    if (!alternatives.some((name) => name in node.inputs!)) {
      throw new TemplateError(`COMFYUI workflow: the ${role} node "${id}" (${String(node.class_type)}) has no input ${alternatives.join(' or ')}`);
    }
  }
  return node.inputs;
}

/** Checks that the configured node ids fit the workflow; returns the workflow typed as one. */
export function checkWorkflow(template: Json | Workflow, nodes: WorkflowNodes): Workflow {
  const workflow = template as Workflow;
  inputsOf(workflow, nodes.prompt, 'prompt', [['text']]);
  inputsOf(workflow, nodes.negative, 'negative prompt', [['text']]);
  inputsOf(workflow, nodes.sampler, 'sampler', [['seed', 'noise_seed']]);
  inputsOf(workflow, nodes.latent, 'latent image', [['width'], ['height']]);
  return workflow;
}

/**
 * The LoadImage nodes whose image is the reference slot. ComfyUI resolves that name in its input folder, so
 * the slot must be the whole value, not part of a longer string.
 */
export function referenceSlots(workflow: Workflow): string[] {
  return Object.entries(workflow)
    .filter(([, node]) => node?.class_type === 'LoadImage' && typeof node.inputs?.image === 'string' && node.inputs.image.replace(/\s+/g, '') === REFERENCE_SLOT)
    .map(([id]) => id);
}

/** Fails unless at least one LoadImage takes the reference. */
export function requireReferenceSlot(workflow: Workflow, what: string): void {
  if (referenceSlots(workflow).length === 0) {
    throw new TemplateError(`${what}: no LoadImage node has "image": "${REFERENCE_SLOT}", so the reference would never reach the workflow (docs/backends.md)`);
  }
}

/** An identity workflow: the request's nodes as in checkWorkflow, and a LoadImage taking the reference. */
export function checkIdentityWorkflow(template: Json | Workflow, nodes: WorkflowNodes, what: string): Workflow {
  const workflow = checkWorkflow(template, nodes);
  requireReferenceSlot(workflow, what);
  return workflow;
}

/** A fresh workflow for one request. Placeholders ({{prompt}} …) in the template are filled too. */
export function workflowFor(template: Workflow, nodes: WorkflowNodes, request: ImageRequest, extras: TemplateExtras = {}): Workflow {
  const workflow = fillTemplate(template as Json, request, extras) as Workflow;
  inputsOf(workflow, nodes.prompt, 'prompt', []).text = request.prompt;
  inputsOf(workflow, nodes.negative, 'negative prompt', []).text = request.negativePrompt;
  const sampler = inputsOf(workflow, nodes.sampler, 'sampler', []);
  // KSamplerAdvanced and SamplerCustom call it noise_seed.
  sampler['noise_seed' in sampler ? 'noise_seed' : 'seed'] = request.seed;
  const latent = inputsOf(workflow, nodes.latent, 'latent image', []);
  latent.width = request.width;
  latent.height = request.height;
  if ('batch_size' in latent) latent.batch_size = 1;
  return workflow;
}
