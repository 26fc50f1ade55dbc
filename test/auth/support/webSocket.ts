// A bare graphql-ws handshake, to see how the server closes a socket (the graphql-ws client hides close codes).
import WebSocket from 'ws';

export interface Closed {
  code: number;
  reason: string;
  /** Messages received before the close, parsed. */
  messages: { type: string; payload?: unknown }[];
}

/** Sends connection_init with `payload`, then `afterAck` messages once acknowledged; resolves when the socket closes. */
export function handshake(baseUrl: string, payload: unknown, afterAck: unknown[] = [], closeAfterMs = 2_000): Promise<Closed> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: Closed['messages'] = [];
    // A socket the server keeps open (the accepted case) is closed by us, with 1000, `closeAfterMs` after it
    // opened: counted from the open, a slow connect on a loaded machine is not cut short.
    let timer: NodeJS.Timeout | undefined;
    socket.on('open', () => {
      timer = setTimeout(() => socket.close(1000, 'test done'), closeAfterMs);
      socket.send(JSON.stringify({ type: 'connection_init', ...(payload === undefined ? {} : { payload }) }));
    });
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Closed['messages'][number];
      messages.push(message);
      if (message.type === 'connection_ack') for (const next of afterAck) socket.send(typeof next === 'string' ? next : JSON.stringify(next));
    });
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString(), messages });
    });
    socket.on('error', reject);
  });
}
