// ComfyUI's input folder and POST /upload/image as server.py implements it: multipart `image` (a file with a
// filename), `type` (input, temp or output), `subfolder`, `overwrite` ("true" or "1"). Without overwrite a
// name already taken gets " (1)", " (2)"… unless the bytes are the same file. Answers {name, subfolder, type};
// a missing image or a path leaving the folder is a bare 400, as on the real server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { readBody, sendJson } from './server.js';

export class ComfyInputs {
  /** `<type>:<normalised path>` → bytes. */
  private readonly files = new Map<string, Buffer>();
  uploads = 0;

  /** Whether LoadImage finds the file: names resolve in the input folder, subfolders included. */
  has(name: string): boolean {
    return this.files.has(this.key('input', name));
  }

  get(name: string): Buffer | undefined {
    return this.files.get(this.key('input', name));
  }

  /** The input folder's files, by the name a LoadImage node takes. */
  list(): string[] {
    return [...this.files.keys()].filter((key) => key.startsWith('input:')).map((key) => key.slice('input:'.length));
  }

  /** Empties the folders, as a restarted server with a fresh volume would. */
  clear(): void {
    this.files.clear();
  }

  async handleUpload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refuse = () => void response.writeHead(400).end();
    let form: FormData;
    try {
      form = await new Request('http://comfyui.local/upload/image', { method: 'POST', headers: { 'content-type': request.headers['content-type'] ?? '' }, body: await readBody(request) }).formData();
    } catch {
      return refuse();
    }
    const image = form.get('image');
    if (image === null || typeof image === 'string' || !image.name) return refuse();
    const type = ['temp', 'output'].includes(String(form.get('type'))) ? String(form.get('type')) : 'input';
    const subfolder = typeof form.get('subfolder') === 'string' ? String(form.get('subfolder')) : '';
    const overwrite = ['true', '1'].includes(String(form.get('overwrite')));
    const bytes = Buffer.from(await image.arrayBuffer());
    let name = image.name;
    if (!this.inside(path.posix.join(subfolder, name))) return refuse();
    if (!overwrite) {
      const { name: stem, ext } = path.posix.parse(image.name);
      for (let copy = 1; this.files.has(this.key(type, path.posix.join(subfolder, name))); copy++) {
        if (this.files.get(this.key(type, path.posix.join(subfolder, name)))!.equals(bytes)) break;
        name = `${stem} (${copy})${ext}`;
      }
    }
    this.files.set(this.key(type, path.posix.join(subfolder, name)), bytes);
    this.uploads += 1;
    sendJson(response, 200, { name, subfolder, type });
  }

  private inside(relative: string): boolean {
    const normal = path.posix.normalize(relative);
    return normal !== '..' && !normal.startsWith('../') && !path.posix.isAbsolute(normal);
  }

  private key(type: string, name: string): string {
    return `${type}:${path.posix.normalize(name)}`;
  }
}
