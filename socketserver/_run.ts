/**
 * Running a constructed request handler. Python runs `setup()`, `handle()`
 * and `finish()` inside the handler's constructor; in TypeScript a
 * subclass's field initialisers (`timeout = 5`, `protocol_version =
 * "HTTP/1.1"`) only take effect once every constructor has returned, so the
 * server constructs the handler first and runs it here.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `BaseRequestHandler.__init__` (setup, handle, finish).
 *
 * @module
 */

/** The three steps every request handler has. */
export interface RunnableHandler {
  setup(): void | Promise<void>;
  handle(): void | Promise<void>;
  finish(): void | Promise<void>;
}

/** Calls `setup()`, then `handle()`, then `finish()` even if `handle()` threw. */
export async function runHandler(handler: RunnableHandler): Promise<void> {
  await handler.setup();
  try {
    await handler.handle();
  } finally {
    await handler.finish();
  }
}
