// ComfyUI's /ws event stream for one client id, used only to learn early that a prompt finished: the result
// itself is always read from /history, so a missed or garbled event costs a poll interval, never an image.
// The socket opens lazily, and after it drops the next wait opens a new one.
import WebSocket from 'ws';

const RECENT_LIMIT = 1_000;
/** After the socket could not be opened, requests poll /history for this long before trying it again. */
const RECONNECT_AFTER_MS = 30_000;

export class ComfyEvents {
  private socket: WebSocket | undefined;
  private opening: Promise<boolean> | undefined;
  private failedAt = Number.NEGATIVE_INFINITY;
  private readonly waiters = new Map<string, Set<() => void>>();
  /** Prompts that ended before anyone waited for them (a fast prompt can finish before /prompt answers). */
  private readonly ended = new Set<string>();

  constructor(
    private readonly wsUrl: string,
    private readonly onTrouble: (message: string) => void = () => {},
  ) {}

  /** Opens the socket if needed; false when the server offers no /ws (the caller polls /history instead). */
  connect(): Promise<boolean> {
    if (this.socket?.readyState === WebSocket.OPEN) return Promise.resolve(true);
    if (Date.now() - this.failedAt < RECONNECT_AFTER_MS) return Promise.resolve(false);
    this.opening ??= new Promise<boolean>((resolve) => {
      const socket = new WebSocket(this.wsUrl, { handshakeTimeout: 5_000 });
      socket.once('open', () => {
        this.socket = socket;
        resolve(true);
      });
      socket.once('error', (error) => {
        if (this.socket !== socket) {
          this.failedAt = Date.now();
          this.onTrouble(`ComfyUI /ws unavailable (${error.message}); polling /history for ${RECONNECT_AFTER_MS / 1000} s`);
        }
        resolve(false);
      });
      socket.on('message', (data, isBinary) => {
        if (!isBinary) this.onMessage(data.toString());
      });
      socket.on('close', () => {
        if (this.socket === socket) this.socket = undefined;
        // Wake every waiter so it checks /history at once rather than waiting for an event that will not come.
        for (const id of [...this.waiters.keys()]) this.wake(id);
        resolve(false);
      });
    }).finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Resolves when the prompt ends (success, error or interruption) or after `ms`, whichever is first. */
  async untilEnded(promptId: string, ms: number, signal: AbortSignal): Promise<void> {
    if (this.ended.delete(promptId)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.get(promptId)?.delete(done);
        if (this.waiters.get(promptId)?.size === 0) this.waiters.delete(promptId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      const set = this.waiters.get(promptId) ?? new Set();
      set.add(done);
      this.waiters.set(promptId, set);
    });
  }

  close(): void {
    this.socket?.close();
  }

  private onMessage(text: string): void {
    let message: { type?: unknown; data?: { prompt_id?: unknown; node?: unknown } };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const promptId = message.data?.prompt_id;
    if (typeof promptId !== 'string') return;
    const finished =
      message.type === 'execution_success' ||
      message.type === 'execution_error' ||
      message.type === 'execution_interrupted' ||
      (message.type === 'executing' && message.data?.node === null);
    if (finished) this.wake(promptId);
  }

  private wake(promptId: string): void {
    const waiting = this.waiters.get(promptId);
    if (!waiting || waiting.size === 0) {
      this.ended.add(promptId);
      if (this.ended.size > RECENT_LIMIT) this.ended.delete(this.ended.values().next().value!);
      return;
    }
    for (const done of [...waiting]) done();
  }
}
