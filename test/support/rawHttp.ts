// A GET whose request target goes on the wire exactly as written. fetch (WHATWG URL) normalises `..` and
// `%2e%2e` before sending, so a traversal probe sent with it only ever tests the client; this one tests the
// server's own guards.
import http from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
}

export function rawGet(baseUrl: string, target: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ hostname, port, path: target, method: 'GET', headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}
