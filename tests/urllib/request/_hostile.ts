/**
 * A hostile HTTP server on a raw socket (127.0.0.1): each connection's
 * request head is read, then a script writes whatever it likes, counting
 * the bytes that left, and can flood until the client stops reading.
 *
 * @module
 */

const encoder = new TextEncoder();

/** One accepted connection, as the script sees it. */
export interface Wire {
  /** The request head the client sent (Latin-1 text). */
  readonly request: string;
  /** Writes all of `data`; rejects once the client has gone. */
  write(data: string | Uint8Array): Promise<void>;
  /**
   * Writes `block` again and again until the client stops taking it or
   * `limit` bytes have been written; resolves to whether the client stopped.
   */
  flood(block: string | Uint8Array, limit: number): Promise<boolean>;
  /** Resolves when the client has closed its end. */
  closedByClient(): Promise<void>;
}

/** A running hostile server. */
export interface HostileServer extends AsyncDisposable {
  readonly url: string;
  readonly port: number;
  /** Bytes written to all clients so far. */
  readonly sent: number;
  close(): Promise<void>;
}

function bytes(data: string | Uint8Array): Uint8Array {
  return typeof data === "string"
    ? Uint8Array.from(data, (c) => c.charCodeAt(0))
    : data;
}

async function readHead(conn: Deno.Conn): Promise<string | null> {
  const buf = new Uint8Array(65536);
  let text = "";
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buf);
    if (n === null) return null;
    text += String.fromCharCode(...buf.subarray(0, n));
  }
  return text;
}

/** Starts a server that runs `script` on every connection. */
export function startHostile(
  script: (wire: Wire) => Promise<void>,
): HostileServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  let sent = 0;
  const conns = new Set<Deno.Conn>();
  const running: Promise<void>[] = [];

  const serve = async (conn: Deno.Conn) => {
    conns.add(conn);
    try {
      const request = await readHead(conn);
      if (request === null) return;
      const write = async (data: string | Uint8Array) => {
        const out = bytes(data);
        for (let at = 0; at < out.length;) {
          const n = await conn.write(out.subarray(at));
          at += n;
          sent += n;
        }
      };
      await script({
        request,
        write,
        async flood(block, limit) {
          const out = bytes(block);
          try {
            for (let total = 0; total < limit; total += out.length) {
              await write(out);
            }
            return false;
          } catch {
            return true;
          }
        },
        async closedByClient() {
          const buf = new Uint8Array(1024);
          try {
            while (await conn.read(buf) !== null);
          } catch {
            // Reset by the client: closed all the same.
          }
        },
      });
    } catch {
      // The client went away mid-script.
    } finally {
      conns.delete(conn);
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
  };

  const accepting = (async () => {
    try {
      for await (const conn of listener) running.push(serve(conn));
    } catch {
      // The listener was closed.
    }
  })();

  const close = async () => {
    try {
      listener.close();
    } catch {
      // Already closed.
    }
    for (const conn of conns) {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    }
    await accepting;
    await Promise.allSettled(running);
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    get sent() {
      return sent;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** A block of `count` copies of `line`, to flood with. */
export function repeated(line: string, count: number): Uint8Array {
  return encoder.encode(line.repeat(count));
}
