// The shapes a RunPod worker's output takes for an image, as documented by the workers we support:
//   worker-comfyui ≥ 5      {images: [{filename, type: 'base64' | 's3_url', data}]}
//   older worker-comfyui    {images: [{filename, data | url}]} or {message: '<base64 or URL>'}
//   A1111 / SDXL workers    {images: ['<base64>', …]}, {image_url: '<URL>'}, {image: '<base64 or URL>'}
//   RunPod's own example    [{image: '<URL>', seed}]
// Anything else is an output we cannot read, reported with the keys we did see (never the values: they may be
// megabytes of base64 or signed URLs).

export type ImageSource = { kind: 'base64'; data: string } | { kind: 'url'; url: string };

const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const DATA_URI = /^data:image\/[a-z+.-]+;base64,/i;

/** A string that is an image reference: a URL, a data URI or bare base64 of plausible length. */
function sourceOf(value: unknown, hint?: unknown): ImageSource | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (hint === 's3_url' || /^https?:\/\//i.test(text)) return /^https?:\/\//i.test(text) ? { kind: 'url', url: text } : null;
  const data = text.replace(DATA_URI, '').replace(/\s+/g, '');
  return data.length >= 16 && BASE64.test(data) ? { kind: 'base64', data } : null;
}

function fromEntry(entry: unknown): ImageSource | null {
  if (typeof entry === 'string') return sourceOf(entry);
  if (entry === null || typeof entry !== 'object') return null;
  const record = entry as Record<string, unknown>;
  return sourceOf(record.data, record.type) ?? sourceOf(record.url) ?? sourceOf(record.image) ?? sourceOf(record.image_url) ?? sourceOf(record.base64);
}

function describeShape(output: unknown): string {
  if (output === null || output === undefined) return 'no output';
  if (Array.isArray(output)) return `an array of ${output.length}`;
  if (typeof output === 'object') return `an object with keys [${Object.keys(output).slice(0, 10).join(', ')}]`;
  return `a ${typeof output}`;
}

/** The first image the output holds, or an explanation of why there is none. */
export function imageInOutput(output: unknown): ImageSource | { problem: string } {
  const candidates: unknown[] = [];
  if (Array.isArray(output)) candidates.push(...output);
  else if (output !== null && typeof output === 'object') {
    const record = output as Record<string, unknown>;
    if (Array.isArray(record.images)) candidates.push(...record.images);
    candidates.push(record.image_url, record.image, record.message);
  } else candidates.push(output);
  for (const candidate of candidates) {
    const source = fromEntry(candidate);
    if (source) return source;
  }
  const record = output !== null && typeof output === 'object' ? (output as Record<string, unknown>) : {};
  const errors = [...(Array.isArray(record.errors) ? record.errors : []), ...(typeof record.error === 'string' ? [record.error] : [])];
  const workerSaid = errors.length > 0 ? `; the worker reported: ${errors.map(String).join('; ').slice(0, 300)}` : '';
  return { problem: `the job's output holds no image (got ${describeShape(output)})${workerSaid}` };
}
