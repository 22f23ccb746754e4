/**
 * The constructor step every socket server shares: Python's
 * `bind_and_activate` argument.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `TCPServer.__init__`'s `bind_and_activate` step.
 *
 * @module
 */
import { pyArgs } from "../_util/py_args.ts";

/** What binding needs of a server. */
export interface Bindable {
  server_bind(): void;
  server_activate(): void;
  server_close(): void | Promise<void>;
}

/**
 * Resolves the constructor's optional `bind_and_activate` (positional or
 * keyword; default `true`) and, if set, binds and activates `server`,
 * closing the half-made server when either step fails.
 */
export function bindOnConstruction(
  server: Bindable,
  args: readonly unknown[],
): void {
  const { bind_and_activate } = pyArgs({
    fn: server.constructor.name,
    names: ["bind_and_activate"],
    defaults: { bind_and_activate: true as boolean },
  }, args);
  if (bind_and_activate) bindAndActivate(server);
}

/**
 * Python's `bind_and_activate=True` step: binds and activates `server`,
 * closing the half-made server when either step fails. Subclasses that bind
 * once their own settings are in place (`HTTPSServer`) call it themselves.
 */
export function bindAndActivate(server: Bindable): void {
  try {
    server.server_bind();
    server.server_activate();
  } catch (error) {
    server.server_close();
    throw error;
  }
}
