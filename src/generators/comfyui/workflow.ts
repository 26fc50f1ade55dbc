// A ComfyUI API-format workflow with the request written into the nodes named in configuration: the
// positive and negative CLIPTextEncode texts, the sampler's seed, the empty latent's size (batch of one).
// The node ids are checked against the workflow once, at start, so a wrong id is a configuration error.
import type { ImageRequest } from '../../ports.js';
import { fillTemplate, type Json, TemplateError } from '../template.js';

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

/** A fresh workflow for one request. Placeholders ({{prompt}} …) in the template are filled too. */
export function workflowFor(template: Workflow, nodes: WorkflowNodes, request: ImageRequest): Workflow {
  const workflow = fillTemplate(template as Json, request) as Workflow;
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
