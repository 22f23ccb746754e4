/**
 * Running request handlers without a socket, for tests of handler logic:
 * `fetchFrom` sends a `Request` through the fetch adapter and returns the
 * `Response`; `exchange` feeds raw request bytes to a handler over an
 * in-memory connection and returns exactly the bytes it wrote. Both run
 * the handler through the same code as a real connection. Log lines are
 * collected instead of printed.
 *
 * @module
 */
import { percentFormat } from "../../_util/percent_format.ts";
import {
  BaseHTTPRequestHandler,
  createFetchHandler,
  HTTPServer,
} from "../../http_server/mod.ts";
import { MemoryConnection } from "../../http_server/_memory_connection.ts";
import type { RequestHandlerClass } from "../../socketserver/base_server.ts";
import type { StreamConnection } from "../../socketserver/_socket_io.ts";

type HandlerClass = RequestHandlerClass<StreamConnection>;

/** Every test here gives up after this long. */
const DEADLINE_MS = 5000;

/** A handler whose log lines go to `Logged.lines` (message part only). */
export class Logged extends BaseHTTPRequestHandler {
  static lines: string[] = [];
  override log_message(format: string, ...args: unknown[]): void {
    Logged.lines.push(percentFormat(format, args));
  }
}

function deadline<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${DEADLINE_MS} ms`)),
      DEADLINE_MS,
    );
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/**
 * Sends `input` (a URL or a `Request`, with `init`) to `Handler` through
 * {@linkcode createFetchHandler} and returns its response.
 */
export function fetchFrom(
  Handler: HandlerClass,
  input: string | Request,
  init?: RequestInit,
): Promise<Response> {
  const request = typeof input === "string"
    ? new Request(new URL(input, "http://localhost/"), init)
    : input;
  return deadline(
    createFetchHandler(Handler)(request),
    `${request.method} ${request.url}`,
  );
}

/** What {@linkcode exchange} saw. */
export interface Exchange {
  /** Everything the handler wrote, decoded as Latin-1. */
  output: string;
  /** The same bytes. */
  bytes: Uint8Array;
  /** How many writes to the connection carried them (system calls on a socket). */
  writes: number;
  /** The error the handler's run ended with, if any. */
  error: unknown;
  /** Whether the handler half-closed the connection. */
  halfClosed: boolean;
}

/**
 * Feeds `raw` (then the end of stream) to `Handler` over an in-memory
 * connection, runs it as a server would, and returns what it wrote. An
 * array of pieces arrives as that many separate reads.
 */
export async function exchange(
  Handler: HandlerClass,
  raw: string | Uint8Array | (string | Uint8Array)[],
): Promise<Exchange> {
  const parts = (Array.isArray(raw) ? raw : [raw]).map((part) =>
    typeof part === "string"
      ? Uint8Array.from(part, (ch) => ch.charCodeAt(0))
      : part
  );
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield part;
  }
  const written: Uint8Array[] = [];
  let halfClosed = false;
  const connection = new MemoryConnection(source(), {
    write(bytes) {
      written.push(bytes.slice());
    },
    end() {
      halfClosed = true;
    },
  });
  const server = new HTTPServer(["127.0.0.1", 0], Handler, false);
  let error: unknown = null;
  const run = (async () => {
    try {
      await server.finish_request(connection, ["127.0.0.1", 4242]);
    } catch (e) {
      error = e;
    } finally {
      await server.shutdown_request(connection);
    }
  })();
  await deadline(run, "the exchange");
  const size = written.reduce((n, b) => n + b.length, 0);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const piece of written) {
    bytes.set(piece, at);
    at += piece.length;
  }
  let output = "";
  for (const byte of bytes) output += String.fromCharCode(byte);
  return { output, bytes, writes: written.length, error, halfClosed };
}

/** `output` with the `Date` and `Server` values made constant, for comparisons. */
export function normalized(output: string): string {
  return output.replace(/\r\nDate: [^\r]*/g, "\r\nDate: (date)")
    .replace(
      /\r\nServer: ([^\r]*) (?:Deno|Python)\/[\d.]+/g,
      "\r\nServer: $1 (runtime)",
    );
}
