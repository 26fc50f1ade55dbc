// Stored images and the metadata JSON. With an access token, this service's /files/ answer only requests that
// carry it, which a bare <img src> or <a download> cannot; those files are fetched with the token and shown or
// saved from a blob URL (images cached per URL for the page's life). Other URLs (a cloud store's, or dev
// mode) are used as they are.
import { accessToken, authHeaders } from './credentials.js';

const blobUrls = new Map<string, Promise<string>>();

function needsToken(url: string): boolean {
  return accessToken() !== null && new URL(url, location.href).origin === location.origin;
}

async function blobUrlOf(url: string): Promise<string> {
  const response = await fetch(url, { headers: authHeaders() });
  if (!response.ok) throw new Error(`image ${url} answered ${response.status}`);
  return URL.createObjectURL(await response.blob());
}

export function showImage(image: HTMLImageElement, url: string): void {
  image.dataset.source = url;
  if (!needsToken(url)) {
    image.src = url;
    return;
  }
  let pending = blobUrls.get(url);
  if (!pending) {
    pending = blobUrlOf(url);
    blobUrls.set(url, pending);
    pending.catch(() => blobUrls.delete(url));
  }
  pending.then(
    (blobUrl) => {
      // The element may show another image by now.
      if (image.dataset.source === url) image.src = blobUrl;
    },
    () => image.classList.add('broken'),
  );
}

/** Lets the link download by itself when it can; fetches with the token when the file needs one. */
export function downloadWithToken(link: HTMLAnchorElement): void {
  link.addEventListener('click', (event) => {
    if (!needsToken(link.href)) return;
    event.preventDefault();
    void blobUrlOf(link.href).then((blobUrl) => {
      const saver = document.createElement('a');
      saver.href = blobUrl;
      saver.download = link.download;
      saver.click();
      setTimeout(() => URL.revokeObjectURL(blobUrl), 60_000);
    });
  });
}
