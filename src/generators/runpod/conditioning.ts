// How the reference reaches a RunPod worker. worker-comfyui (an input holding a `workflow`) takes images as
// input.images = [{name, image: <base64>}] and writes each into ComfyUI's input folder, top level, before it
// queues the workflow, so a LoadImage names it by `name` alone: there {{reference_image}} is that name. Every
// other worker receives the image itself in {{reference_image}}, as bare base64: most handlers decode with a
// plain base64 decode, which a data: prefix would break; a template that wants a data URI writes
// "data:image/png;base64,{{reference_image}}". Base64 rather than a URL because locally stored avatars are
// not reachable from RunPod, and signed links would have to outlive the job.
import type { ImageRequest, ReferenceImage } from '../../ports.js';
import { requireReferenceSlot, type Workflow } from '../comfyui/workflow.js';
import { referenceFileName } from '../references.js';
import { checkReferenceSlot, fillTemplate, type Json } from '../template.js';

type Input = { [key: string]: Json };

/** worker-comfyui's input shape: `{workflow: {...}, images?: [...]}`. */
export function isWorkerComfyInput(template: Json): template is Input & { workflow: Input } {
  const workflow = template !== null && typeof template === 'object' && !Array.isArray(template) ? template.workflow : undefined;
  return workflow !== null && typeof workflow === 'object' && !Array.isArray(workflow);
}

/** Where the slot must be: a LoadImage's image in a worker-comfyui workflow, anywhere in a plain input. */
export function checkIdentityTemplate(template: Json, what: string): void {
  if (isWorkerComfyInput(template)) requireReferenceSlot(template.workflow as Workflow, what);
  else checkReferenceSlot(template, what, 'identity', what);
}

/** The job's input for a request conditioned on `reference`. */
export function conditionedInput(template: Json, request: ImageRequest, reference: ReferenceImage, identityStrength: number): Json {
  const base64 = Buffer.from(reference.bytes.buffer, reference.bytes.byteOffset, reference.bytes.byteLength).toString('base64');
  if (!isWorkerComfyInput(template)) return fillTemplate(template, request, { referenceImage: base64, identityStrength });
  const name = referenceFileName(reference);
  const input = fillTemplate(template, request, { referenceImage: name, identityStrength }) as Input;
  const images = Array.isArray(input.images) ? input.images : [];
  return { ...input, images: [...images, { name, image: base64 }] };
}
