/**
 * The request headers a handler sees as `self.headers`, with the reading
 * side of Python's `http.client.HTTPMessage`.
 *
 * @module
 */

/**
 * A request's headers, looked up case-insensitively, as Python's
 * `http.client.HTTPMessage` (`self.headers` in a handler).
 *
 * Deno's HTTP engine joins a header sent several times into one
 * comma-separated value, so `get_all` returns one entry for it where
 * Python returns one per line.
 *
 * @example
 * ```ts
 * import { HTTPMessage } from "@pyport/web/http/server";
 * const headers = new HTTPMessage(new Headers({ "Content-Type": "text/plain" }));
 * console.assert(headers.get("content-type") === "text/plain");
 * console.assert(headers.get("X-Missing", "none") === "none");
 * console.assert(headers.has("CONTENT-TYPE"));
 * console.assert([...headers].includes("content-type"));
 * ```
 */
export class HTTPMessage implements Iterable<string> {
  readonly #headers: Headers;

  /** Wraps a `Headers` object (not copied). */
  constructor(headers: Headers = new Headers()) {
    this.#headers = headers;
  }

  /**
   * The value of header `name`, or `failobj` (default `null`) when absent.
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * const headers = new HTTPMessage(new Headers({ Host: "example.com" }));
   * console.assert(headers.get("host") === "example.com");
   * console.assert(headers.get("accept") === null);
   * ```
   */
  get<T = null>(name: string, failobj?: T): string | T {
    const value = this.#headers.get(name);
    return value === null ? (failobj ?? null) as T : value;
  }

  /**
   * Every value of header `name` as a list, or `failobj` (default `null`)
   * when absent.
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * const headers = new HTTPMessage(new Headers({ Accept: "text/html" }));
   * console.assert(headers.get_all("accept")?.[0] === "text/html");
   * console.assert(headers.get_all("cookie") === null);
   * ```
   */
  get_all<T = null>(name: string, failobj?: T): string[] | T {
    if (name.toLowerCase() === "set-cookie") {
      const cookies = this.#headers.getSetCookie();
      if (cookies.length > 0) return cookies;
    }
    const value = this.#headers.get(name);
    return value === null ? (failobj ?? null) as T : [value];
  }

  /**
   * Whether header `name` is present (Python's `name in headers`).
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * console.assert(!new HTTPMessage().has("Range"));
   * ```
   */
  has(name: string): boolean {
    return this.#headers.has(name);
  }

  /**
   * The header names (lower-cased by the engine).
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * const headers = new HTTPMessage(new Headers({ A: "1", B: "2" }));
   * console.assert(headers.keys().join() === "a,b");
   * ```
   */
  keys(): string[] {
    return [...this.#headers.keys()];
  }

  /**
   * The header values, in the order of {@linkcode HTTPMessage.keys}.
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * const headers = new HTTPMessage(new Headers({ A: "1", B: "2" }));
   * console.assert(headers.values().join() === "1,2");
   * ```
   */
  values(): string[] {
    return [...this.#headers.values()];
  }

  /**
   * `[name, value]` pairs.
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * const headers = new HTTPMessage(new Headers({ A: "1" }));
   * console.assert(headers.items()[0]?.join("=") === "a=1");
   * ```
   */
  items(): [string, string][] {
    return [...this.#headers.entries()];
  }

  /**
   * The number of distinct header names.
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * console.assert(new HTTPMessage(new Headers({ A: "1" })).length === 1);
   * ```
   */
  get length(): number {
    let count = 0;
    for (const _ of this.#headers.keys()) count++;
    return count;
  }

  /**
   * Iterates over the header names, as iterating a Python message does.
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * for (const name of new HTTPMessage(new Headers({ A: "1" }))) {
   *   console.assert(name === "a");
   * }
   * ```
   */
  [Symbol.iterator](): Iterator<string> {
    return this.#headers.keys();
  }

  /**
   * The headers as they would be written on the wire (`Name: value` lines
   * ending in a blank line), as Python's `str(headers)`.
   *
   * @example
   * ```ts
   * import { HTTPMessage } from "@pyport/web/http/server";
   * console.assert(String(new HTTPMessage(new Headers({ A: "1" }))) === "a: 1\n\n");
   * ```
   */
  toString(): string {
    let out = "";
    for (const [name, value] of this.#headers) out += `${name}: ${value}\n`;
    return out + "\n";
  }
}
