/**
 * The response under construction: the status and headers a handler
 * buffers, and `wfile`, its body. The engine gets one `Response`: built from
 * the whole buffered body once the handler returns (so small replies leave in
 * one write, head and body together), or as a stream as soon as the handler
 * shows it will take its time (it awaits, flushes or writes a lot).
 *
 * @module
 */
import type { ResponseWriter } from "./io.ts";

const encoder = new TextEncoder();

/** Above this many buffered bytes the body starts streaming. */
const STREAM_THRESHOLD = 64 * 1024;

/** Responses of still-running async handlers, to start streaming soon. */
let armed: ResponseState[] = [];

function startArmed(): void {
  const due = armed;
  armed = [];
  // Responses completed meanwhile are committed: startStreaming skips them.
  for (const state of due) state.startStreaming();
}

/** Response state shared by a handler and its `wfile`. */
export class ResponseState implements ResponseWriter {
  status = 0;
  statusText = "";
  headers: [string, string][] = [];
  /** The `Content-Length` the handler sent, if any. */
  contentLength: string | null = null;
  /** Whether `end_headers` has run: body writes are allowed from then on. */
  headEnded = false;
  /** Whether the engine has been handed its `Response`. */
  committed = false;
  /** Whether the handler is still running asynchronously. */
  pending = false;
  /** The request method is HEAD: the engine drops any body. */
  isHead = false;

  // Allocated on first use: most responses write once or not at all.
  #chunks: Uint8Array[] | null = null;
  #size = 0;
  #direct: ReadableStream<Uint8Array> | null = null;
  #controller: ReadableStreamDefaultController<Uint8Array> | null = null;
  #closed = false;
  #drainWaiters: (() => void)[] | null = null;
  #armed = false;
  /** The engine's response, once committed. */
  response: Response | null = null;
  /** Set when the engine is waiting for the response. */
  onResponse: ((response: Response) => void) | null = null;

  get closed(): boolean {
    return this.#closed;
  }

  /** Whether nothing has been sent, so the response can still be replaced. */
  get resettable(): boolean {
    return !this.committed;
  }

  /** Drops the buffered head and body (before anything was sent). */
  reset(): void {
    this.status = 0;
    this.statusText = "";
    this.headers = [];
    this.contentLength = null;
    this.headEnded = false;
    this.#chunks = null;
    this.#size = 0;
    this.#direct?.cancel().catch(() => {});
    this.#direct = null;
  }

  write(data: Uint8Array | string): number {
    if (this.#closed) {
      throw new Deno.errors.BrokenPipe("the client closed the connection");
    }
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    if (bytes.length === 0) return 0;
    if (this.#controller) {
      this.#controller.enqueue(bytes);
    } else {
      (this.#chunks ??= []).push(bytes);
      this.#size += bytes.length;
      if (this.#size > STREAM_THRESHOLD && this.headEnded) {
        this.startStreaming();
      }
    }
    return bytes.length;
  }

  flush(): void {
    if (this.pending && this.headEnded) this.startStreaming();
  }

  drain(): Promise<void> {
    const controller = this.#controller;
    if (this.#closed || !controller || (controller.desiredSize ?? 1) > 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => (this.#drainWaiters ??= []).push(resolve));
  }

  /** Called when the head is complete. */
  headersEnded(): void {
    this.headEnded = true;
    if (this.pending) this.armStreamTimer();
  }

  /**
   * The handler turned out to be asynchronous: if it has not finished by
   * the next macrotask, start sending so a slow handler's client is not
   * kept waiting for the head.
   */
  armStreamTimer(): void {
    if (this.committed || this.#armed) return;
    this.#armed = true;
    armed.push(this);
    // One timer serves every response armed in this turn of the loop.
    if (armed.length === 1) setTimeout(startArmed, 0);
  }

  /**
   * Uses `stream` as the rest of the body. With nothing else queued it is
   * handed to the engine as is (zero-copy for files); otherwise it is
   * pumped behind what was written before.
   */
  async sendStream(stream: ReadableStream<Uint8Array>): Promise<void> {
    if (!this.committed && this.#size === 0 && this.#direct === null) {
      this.#direct = stream;
      return;
    }
    this.startStreaming();
    const reader = stream.getReader();
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) return;
        this.write(value);
        await this.drain();
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  }

  #respond(body: BodyInit | null): void {
    this.committed = true;
    const status = this.status || 200;
    // The engine forbids a body on these statuses.
    if (status === 204 || status === 304 || status < 200 || this.isHead) {
      if (body instanceof ReadableStream) body.cancel().catch(() => {});
      body = null;
    }
    const length = this.contentLength;
    if (
      length !== null &&
      !(body instanceof Uint8Array && String(body.length) === length)
    ) {
      this.headers.push(["Content-Length", length]);
    }
    // No statusText: the engine sends the standard reason phrase anyway.
    const response = new Response(body, { status, headers: this.headers });
    this.response = response;
    this.onResponse?.(response);
  }

  /** Hands the engine a streaming body now (once the head is complete). */
  startStreaming(): void {
    if (this.committed || !this.headEnded) return;
    const chunks = this.#chunks ?? [];
    this.#chunks = null;
    this.#size = 0;
    const direct = this.#direct;
    this.#direct = null;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        for (const chunk of chunks) controller.enqueue(chunk);
      },
      pull: () => this.#wakeDrainers(),
      cancel: () => {
        this.#closed = true;
        this.#wakeDrainers();
      },
    }, { highWaterMark: 4 });
    this.#respond(stream);
    if (direct) this.sendStream(direct).catch(() => {});
  }

  #wakeDrainers(): void {
    const waiters = this.#drainWaiters;
    if (waiters === null) return;
    this.#drainWaiters = null;
    for (const wake of waiters) wake();
  }

  /** The handler has returned: complete the response. */
  finish(): void {
    if (!this.committed) {
      if (this.#direct) {
        this.#respond(this.#direct);
        this.#direct = null;
        this.#closed = true;
        return;
      }
      const chunks = this.#chunks ?? [];
      const body = chunks.length === 0
        ? null
        : chunks.length === 1
        ? chunks[0] as Uint8Array
        : concatChunks(chunks, this.#size);
      this.#chunks = null;
      this.#respond(body as Uint8Array<ArrayBuffer> | null);
      this.#closed = true;
      return;
    }
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#controller?.close();
      } catch {
        // Already cancelled by the client.
      }
    }
    this.#wakeDrainers();
  }

  /** Answers a bare 500 when no proper response could be built. */
  fallback(): void {
    if (this.committed) return;
    this.reset();
    this.status = 500;
    this.#respond(null);
  }

  /** The handler failed after the head went out: abort the connection. */
  abort(error: unknown): void {
    if (!this.#closed) {
      this.#closed = true;
      try {
        this.#controller?.error(error);
      } catch {
        // Already cancelled by the client.
      }
    }
    this.#wakeDrainers();
  }
}

function concatChunks(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
