import type { ImageContentType } from '../ports.js';

const EXTENSIONS: Record<ImageContentType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

export function imageExtension(contentType: ImageContentType): string {
  return EXTENSIONS[contentType];
}

/** The content type a stored image's key says it has (keys end in the extension imageExtension gave them). */
export function imageContentTypeOfKey(key: string): ImageContentType | null {
  const extension = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  const found = (Object.entries(EXTENSIONS) as [ImageContentType, string][]).find(([, known]) => known === extension);
  return found ? found[0] : null;
}
