import type { ImageContentType } from '../ports.js';

const EXTENSIONS: Record<ImageContentType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

export function imageExtension(contentType: ImageContentType): string {
  return EXTENSIONS[contentType];
}
