/**
 * Checking a server address, shared by the TCP, UDP and Unix socket
 * servers.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, the `server_address` a TCP, UDP or Unix server binds.
 *
 * @module
 */
import { typeName } from "../_util/py_type_name.ts";
import { pyRepr } from "../_util/py_repr.ts";
import type { Address } from "./base_server.ts";

/**
 * `address` as `[host, port]`, checked: `server` names the class in the
 * error a path or a bad port gets.
 *
 * @throws {TypeError} When `address` is a path or not a `[host, port]` pair.
 * @throws {TypeError} When the port is not an integer.
 * @throws {RangeError} When the port is not in 0-65535.
 */
export function inetAddress(
  address: Address,
  server: string,
): readonly [host: string, port: number] {
  // A path, or what a Python tuple becomes when copied as is: `("", 8000)`
  // is JavaScript's comma operator, the number 8000 (Python: `bind(): AF_INET
  // address must be tuple, not int`).
  if (!isPair(address)) {
    throw new TypeError(
      `${server} needs a [host, port] address, not ${pyRepr(address)}`,
    );
  }
  checkPort(address[1]);
  return address;
}

/** Whether `address` is an array of at least a host and a port. */
export function isPair(address: unknown): address is readonly [string, number] {
  return Array.isArray(address) && address.length >= 2;
}

/**
 * Refuses a port as Python's socket calls do: a value that is no integer
 * (`"80"`, `8.5`) is a `TypeError`, one outside 0-65535 a `RangeError`.
 */
export function checkPort(port: unknown): void {
  if (typeof port !== "number" || !Number.isInteger(port)) {
    throw new TypeError(
      `'${typeName(port)}' object cannot be interpreted as an integer`,
    );
  }
  if (port < 0 || port > 65535) {
    throw new RangeError(`port must be 0-65535, not ${pyRepr(port)}`);
  }
}

/**
 * `address` as a Unix socket path, checked: `server` names the class in
 * the error a `[host, port]` address gets.
 *
 * @throws {TypeError} When `address` is not a path.
 */
export function unixPath(address: Address, server: string): string {
  if (typeof address !== "string") {
    throw new TypeError(
      `${server} needs a socket path, not ${pyRepr(address)}`,
    );
  }
  return address;
}

/**
 * The address `""` binds: every IPv4 address, or every IPv6 one for
 * `address_family = "AF_INET6"` (`::`, which on Linux takes IPv4 clients
 * too), as Python's socket of that family binds it.
 */
export function anyAddress(family: string): string {
  return family === "AF_INET6" ? "::" : "0.0.0.0";
}

/**
 * A client address as Python's `print` shows it: a host and port as the
 * tuple's repr, a Unix socket's path (often `""`) as it is, `None`.
 */
export function printedAddress(address: Address | null): string {
  if (address === null) return "None";
  if (typeof address === "string") return address;
  return `(${pyRepr(address[0])}, ${address[1]})`;
}
