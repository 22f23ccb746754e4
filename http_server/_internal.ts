/**
 * Hooks between the server and handler modules that are not public API.
 *
 * @module
 */
import type { BaseHTTPRequestHandler } from "./base_handler.ts";
import type { ResponseState } from "./_response_writer.ts";

/** Filled in by `BaseHTTPRequestHandler`'s static initialiser. */
export const internals: {
  /** Runs a constructed handler and resolves with the engine's response. */
  run: (handler: BaseHTTPRequestHandler) => Response | Promise<Response>;
  /** The response state behind a handler (for `sendStream`). */
  state: (handler: BaseHTTPRequestHandler) => ResponseState;
} = {
  run: () => Promise.reject(new Error("handler module not loaded")),
  state: () => {
    throw new Error("handler module not loaded");
  },
};
