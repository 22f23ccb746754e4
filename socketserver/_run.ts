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

/**
 * Calls `setup()`, then `handle()`, then `finish()` even if `handle()`
 * threw. A step that returns no promise is not awaited: a connection then
 * costs a turn of the event loop less per step.
 */
export function runHandler(handler: RunnableHandler): Promise<void> {
  let setup: void | Promise<void>;
  try {
    setup = handler.setup();
  } catch (error) {
    return Promise.reject(error);
  }
  if (setup instanceof Promise) {
    return setup.then(() => handleThenFinish(handler));
  }
  return handleThenFinish(handler);
}

function handleThenFinish(handler: RunnableHandler): Promise<void> {
  let handled: void | Promise<void>;
  try {
    handled = handler.handle();
  } catch (error) {
    return finishAfter(handler, Promise.reject(error));
  }
  if (handled instanceof Promise) return finishAfter(handler, handled);
  try {
    const finished = handler.finish();
    return finished instanceof Promise ? finished : Promise.resolve();
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `finish()` once `handled` settles; `handle()`'s error wins over none. */
async function finishAfter(
  handler: RunnableHandler,
  handled: Promise<void>,
): Promise<void> {
  try {
    await handled;
  } finally {
    await handler.finish();
  }
}
