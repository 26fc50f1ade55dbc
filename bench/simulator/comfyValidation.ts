// ComfyUI's check of a prompt before it queues it (execution.py validate_prompt / validate_inputs), followed
// step by step so the simulators refuse what a real server refuses, with the same answer shape: an unknown
// class or a node without class_type stops everything (`error` only, `node_errors: []`); otherwise each output
// node is validated through its links, and every node with problems is listed under `node_errors` with the
// outputs depending on it. Inputs are checked in declaration order (ComfyUI walks a set, in hash order).
import { type InputSpec, type NodePack, NODES, type NodeSpec } from './comfyNodes.js';

export type GraphNode = { class_type?: unknown; inputs?: Record<string, unknown> };
export type Graph = Record<string, GraphNode>;

export interface ValidationContext {
  packs: ReadonlySet<NodePack>;
  /** Whether a file is in the server's input folder (LoadImage's own check). */
  inputExists(name: string): boolean;
  /** The files of model folders, when the simulator was told them; a folder not listed accepts any name. */
  models?: Readonly<Record<string, readonly string[]>>;
}

export interface Problem {
  type: string;
  message: string;
  details: string;
  extra_info: Record<string, unknown>;
}

export interface NodeError {
  errors: Problem[];
  dependent_outputs: string[];
  class_type: string;
}

export type Validation = { ok: true; outputs: string[] } | { ok: false; error: Problem; node_errors: Record<string, NodeError> | [] };

/** What Python raises on a link to a missing node or output slot (KeyError, IndexError): its str(). */
class LookupFailure extends Error {}

const problem = (type: string, message: string, details: string, extra: Record<string, unknown> = {}): Problem => ({ type, message, details, extra_info: extra });
const pyRepr = (value: unknown) => (typeof value === 'string' ? `'${value}'` : String(value));

export function knownNode(classType: unknown, packs: ReadonlySet<NodePack>): NodeSpec | undefined {
  const spec = typeof classType === 'string' && Object.hasOwn(NODES, classType) ? NODES[classType] : undefined;
  return spec && packs.has(spec.pack) ? spec : undefined;
}

/** int(), float() as Python applies them to a JSON value; throws with Python's message. */
function convert(type: 'INT' | 'FLOAT', value: unknown): number {
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number') {
    if (type === 'INT' && !Number.isFinite(value)) throw new Error(`cannot convert float ${value} to integer`);
    return type === 'INT' ? Math.trunc(value) : value;
  }
  if (typeof value === 'string') {
    const text = value.trim();
    if (type === 'INT' && /^[+-]?\d+$/.test(text)) return Number(text);
    if (type === 'FLOAT' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return Number(text);
    throw new Error(type === 'INT' ? `invalid literal for int() with base 10: '${value}'` : `could not convert string to float: '${value}'`);
  }
  throw new Error(`${type === 'INT' ? 'int' : 'float'}() argument must be a string or a real number, not '${value === null ? 'NoneType' : Array.isArray(value) ? 'list' : 'dict'}'`);
}

function choicesOf(spec: InputSpec, ctx: ValidationContext): readonly string[] | undefined {
  if ('choices' in spec) return spec.choices;
  if ('files' in spec) return ctx.models?.[spec.files];
  return undefined;
}

function literalProblems(name: string, value: unknown, spec: InputSpec, ownCheck: boolean, ctx: ValidationContext): Problem[] {
  if (!('type' in spec)) {
    const choices = choicesOf(spec, ctx);
    if (ownCheck || !choices || (typeof value === 'string' && choices.includes(value))) return [];
    const list = choices.length > 20 ? `(list of length ${choices.length})` : `[${choices.map(pyRepr).join(', ')}]`;
    return [problem('value_not_in_list', 'Value not in list', `${name}: ${pyRepr(value)} not in ${list}`, { input_name: name, received_value: value })];
  }
  if (spec.type !== 'INT' && spec.type !== 'FLOAT') return [];
  let number: number;
  try {
    number = convert(spec.type, value);
  } catch (error) {
    const reason = (error as Error).message;
    return [problem('invalid_input_type', `Failed to convert an input value to a ${spec.type} value`, `${name}, ${String(value)}, ${reason}`, { input_name: name, received_value: value, exception_message: reason })];
  }
  if (ownCheck) return [];
  // Python prints a float with its decimal point: "Value 4.0 bigger than max of 3".
  const shown = spec.type === 'FLOAT' && Number.isInteger(number) ? `${number}.0` : String(number);
  if (spec.min !== undefined && number < spec.min) return [problem('value_smaller_than_min', `Value ${shown} smaller than min of ${spec.min}`, name, { input_name: name, received_value: number })];
  if (spec.max !== undefined && number > spec.max) return [problem('value_bigger_than_max', `Value ${shown} bigger than max of ${spec.max}`, name, { input_name: name, received_value: number })];
  return [];
}

/** The type a link delivers: the linked node's RETURN_TYPES at the slot (Python indexing, so -1 is the last). */
function linkedType(graph: Graph, target: unknown[], ctx: ValidationContext): string {
  const linked = Object.hasOwn(graph, String(target[0])) ? graph[String(target[0])] : undefined;
  if (!linked) throw new LookupFailure(pyRepr(target[0]));
  const returns = knownNode(linked.class_type, ctx.packs)!.returns;
  const slot = target[1];
  if (!Number.isInteger(slot)) throw new LookupFailure(`tuple indices must be integers or slices, not ${typeof slot === 'string' ? 'str' : typeof slot}`);
  const index = (slot as number) < 0 ? (slot as number) + returns.length : (slot as number);
  if (index < 0 || index >= returns.length) throw new LookupFailure('tuple index out of range');
  return returns[index]!;
}

function expectedType(spec: InputSpec): string {
  if ('link' in spec) return spec.link;
  if ('type' in spec) return spec.type;
  return 'COMBO';
}

type Verdict = { valid: boolean; errors: Problem[] };

function validateNode(graph: Graph, id: string, validated: Map<string, Verdict>, ctx: ValidationContext): Verdict {
  const known = validated.get(id);
  if (known) return known;
  const node = graph[id]!;
  if (!node.inputs || typeof node.inputs !== 'object') throw new LookupFailure("'inputs'");
  const inputs = node.inputs;
  const spec = knownNode(node.class_type, ctx.packs)!;
  const errors: Problem[] = [];
  let valid = true;
  const declared: [string, InputSpec, boolean][] = [
    ...Object.entries(spec.required).map(([name, input]): [string, InputSpec, boolean] => [name, input, true]),
    ...Object.entries(spec.optional ?? {}).map(([name, input]): [string, InputSpec, boolean] => [name, input, false]),
  ];
  for (const [name, input, required] of declared) {
    if (!Object.hasOwn(inputs, name)) {
      if (required) errors.push(problem('required_input_missing', 'Required input is missing', name, { input_name: name }));
      continue;
    }
    const value = inputs[name];
    if (!Array.isArray(value)) {
      errors.push(...literalProblems(name, value, input, spec.validatesItself?.includes(name) ?? false, ctx));
      continue;
    }
    if (value.length !== 2) {
      errors.push(problem('bad_linked_input', 'Bad linked input, must be a length-2 list of [node_id, slot_index]', name, { input_name: name, received_value: value }));
      continue;
    }
    const received = linkedType(graph, value, ctx);
    if (received !== expectedType(input)) {
      errors.push(problem('return_type_mismatch', 'Return type mismatch between linked nodes', `${name}, ${received} != ${expectedType(input)}`, { input_name: name, received_type: received, linked_node: value }));
      continue;
    }
    try {
      if (!validateNode(graph, String(value[0]), validated, ctx).valid) valid = false;
    } catch (error) {
      valid = false;
      const reason = (error as Error).message;
      validated.set(String(value[0]), { valid: false, errors: [problem('exception_during_inner_validation', 'Exception when validating inner node', reason, { input_name: name, exception_message: reason, linked_node: value })] });
    }
  }
  if (spec.validatesItself?.includes('image') && typeof inputs.image === 'string' && !ctx.inputExists(inputs.image)) {
    errors.push(problem('custom_validation_failed', 'Custom validation failed for node', `image - Invalid image file: ${inputs.image}`, { input_name: 'image' }));
  }
  const verdict = { valid: valid && errors.length === 0, errors };
  validated.set(id, verdict);
  return verdict;
}

export function validatePrompt(graph: Graph, ctx: ValidationContext): Validation {
  const outputs: string[] = [];
  for (const [id, node] of Object.entries(graph)) {
    if (node === null || typeof node !== 'object' || !('class_type' in node)) {
      return { ok: false, error: problem('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'`), node_errors: [] };
    }
    const spec = knownNode(node.class_type, ctx.packs);
    if (!spec) return { ok: false, error: problem('invalid_prompt', `Cannot execute because node ${String(node.class_type)} does not exist.`, `Node ID '#${id}'`), node_errors: [] };
    if (spec.output) outputs.push(id);
  }
  if (outputs.length === 0) return { ok: false, error: problem('prompt_no_outputs', 'Prompt has no outputs', ''), node_errors: [] };

  const validated = new Map<string, Verdict>();
  const good: string[] = [];
  const failures: [string, Problem[]][] = [];
  const nodeErrors: Record<string, NodeError> = {};
  for (const output of outputs) {
    let verdict: Verdict;
    try {
      verdict = validateNode(graph, output, validated, ctx);
    } catch (error) {
      verdict = { valid: false, errors: [problem('exception_during_validation', 'Exception when validating node', (error as Error).message)] };
      validated.set(output, verdict);
    }
    if (verdict.valid) {
      good.push(output);
      continue;
    }
    failures.push([output, verdict.errors]);
    for (const [id, result] of validated) {
      if (result.valid || result.errors.length === 0) continue;
      nodeErrors[id] ??= { errors: result.errors, dependent_outputs: [], class_type: String(graph[id]?.class_type) };
      nodeErrors[id].dependent_outputs.push(output);
    }
  }
  if (good.length > 0) return { ok: true, outputs: good };
  const details = failures.flatMap(([, errors]) => errors.map((error) => `${error.message}: ${error.details}`)).join('\n');
  return { ok: false, error: problem('prompt_outputs_failed_validation', 'Prompt outputs failed validation', details), node_errors: nodeErrors };
}
