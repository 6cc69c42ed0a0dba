/**
 * Holds a server-sent-events response open and collects its named events, as a console's EventSource
 * would (without reconnecting: callers see the end and decide). For tests and load runs.
 */
export interface SseEvent {
  event: string;
  data: unknown;
  at: number;
}

export interface SseStream {
  status: number;
  headers: Headers;
  events: SseEvent[];
  /** The first event (already received or still to come) that matches, within `timeoutMs`. */
  next(predicate: (e: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>;
  ended(): boolean;
  /** Settles when the server ends the stream (or close() is called). */
  done: Promise<void>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string>): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  let wake: (() => void)[] = [];
  let ended = false;
  const notify = () => {
    const waiting = wake;
    wake = [];
    waiting.forEach((w) => w());
  };
  const done = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const name = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (name && data !== undefined) events.push({ event: name, data: JSON.parse(data), at: Date.now() });
        }
        notify();
      }
    } catch {
      // aborted, or the connection dropped: both end the stream
    } finally {
      ended = true;
      notify();
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    ended: () => ended,
    done,
    close: () => controller.abort(),
    async next(predicate, what, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (ended) throw new Error(`the stream ended before ${what}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event with ${what} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
