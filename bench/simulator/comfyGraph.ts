// What a ComfyUI API-format graph asks for, read the way its nodes would: the sampler's seed, the latent's
// size, the text that reaches the sampler's positive input, the files its LoadImage nodes load and the node
// that saves the result. The simulators draw their picture from these.
import type { Graph, GraphNode } from './comfyValidation.js';

const SAMPLERS = new Set(['KSampler', 'KSamplerAdvanced']);

function nodesOf(graph: Graph, classType: string): [string, GraphNode][] {
  return Object.entries(graph).filter(([, node]) => node?.class_type === classType);
}

function linkedNode(graph: Graph, value: unknown): GraphNode | undefined {
  return Array.isArray(value) && Object.hasOwn(graph, String(value[0])) ? graph[String(value[0])] : undefined;
}

/** Follows conditioning back through identity and ControlNet nodes to the CLIPTextEncode it started from. */
function textBehind(graph: Graph, node: GraphNode | undefined, depth = 0): string | undefined {
  if (!node || depth > 20) return undefined;
  if (node.class_type === 'CLIPTextEncode') return typeof node.inputs?.text === 'string' ? node.inputs.text : undefined;
  const inputs = node.inputs ?? {};
  for (const name of ['positive', 'conditioning', 'conditioning_1', 'conditioning_to']) {
    const text = textBehind(graph, linkedNode(graph, inputs[name]), depth + 1);
    if (text !== undefined) return text;
  }
  return undefined;
}

export interface GraphRequest {
  prompt: string;
  seed: number;
  width: number;
  height: number;
  /** The LoadImage file names, as the graph names them. */
  loads: string[];
  /** The id of the node whose saved image is the result. */
  saveNode: string;
}

export function readGraph(graph: Graph): GraphRequest {
  const sampler = Object.values(graph).find((node) => SAMPLERS.has(String(node?.class_type)));
  const latent = nodesOf(graph, 'EmptyLatentImage')[0]?.[1].inputs ?? {};
  const firstText = nodesOf(graph, 'CLIPTextEncode')[0]?.[1].inputs?.text;
  const size = (value: unknown) => (Number.isInteger(Number(value)) && Number(value) > 0 && Number(value) <= 4096 ? Number(value) : 64);
  return {
    prompt: textBehind(graph, linkedNode(graph, sampler?.inputs?.positive)) ?? (typeof firstText === 'string' ? firstText : ''),
    seed: Number(sampler?.inputs?.seed ?? sampler?.inputs?.noise_seed) || 0,
    width: size(latent.width),
    height: size(latent.height),
    loads: nodesOf(graph, 'LoadImage').map(([, node]) => String(node.inputs?.image)),
    saveNode: nodesOf(graph, 'SaveImage')[0]?.[0] ?? '9',
  };
}
