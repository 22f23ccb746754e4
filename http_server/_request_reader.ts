/**
 * The request body as `rfile`: incremental reads over the engine's body
 * stream, keeping whatever a read fetched beyond what was asked for.
 *
 * @module
 */
import type { RequestReader } from "./io.ts";

const EMPTY = new Uint8Array(0);

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Reads a request body in Python's `read`/`readline` shapes. */
export class BodyReader implements RequestReader {
  #body: ReadableStream<Uint8Array> | null;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #pending: Uint8Array = EMPTY;
  #done = false;

  constructor(body: ReadableStream<Uint8Array> | null) {
    this.#body = body;
    this.#done = body === null;
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    this.#reader ??= (this.#body as ReadableStream<Uint8Array>).getReader();
    const { value, done } = await this.#reader.read();
    if (done) {
      this.#done = true;
      this.#reader.releaseLock();
      return false;
    }
    this.#pending = this.#pending.length === 0
      ? value
      : concat([this.#pending, value], this.#pending.length + value.length);
    return true;
  }

  #take(count: number): Uint8Array {
    const out = this.#pending.subarray(0, count);
    this.#pending = this.#pending.subarray(count);
    return out;
  }

  async read(size = -1): Promise<Uint8Array> {
    if (size === 0) return EMPTY;
    if (size < 0) {
      while (await this.#fill());
      return this.#take(this.#pending.length);
    }
    while (this.#pending.length < size && await this.#fill());
    return this.#take(Math.min(size, this.#pending.length));
  }

  async readline(size = -1): Promise<Uint8Array> {
    let searchFrom = 0;
    while (true) {
      const newline = this.#pending.indexOf(0x0a, searchFrom);
      const limit = size < 0 ? Infinity : size;
      if (newline !== -1 && newline < limit) return this.#take(newline + 1);
      if (this.#pending.length >= limit) return this.#take(limit);
      searchFrom = this.#pending.length;
      if (!await this.#fill()) return this.#take(this.#pending.length);
    }
  }

  async readlines(hint = -1): Promise<Uint8Array[]> {
    const lines: Uint8Array[] = [];
    let total = 0;
    while (true) {
      const line = await this.readline();
      if (line.length === 0) return lines;
      lines.push(line);
      total += line.length;
      if (hint > 0 && total >= hint) return lines;
    }
  }
}
