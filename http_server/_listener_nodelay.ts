/**
 * `TCP_NODELAY` for the connections of a TLS listener. Deno's `TlsConn`
 * has no `setNoDelay`, so a handler's `disable_nagle_algorithm` cannot
 * reach a TLS connection, and Nagle's algorithm, meeting the client's
 * delayed acknowledgement, held the last part of each keep-alive response
 * for about 40 ms (a 300 KB file took 44 ms a request over HTTPS and 1 ms
 * over HTTP). Linux gives each accepted connection the listening socket's
 * options, so the option is set once on the listener, found among the
 * process's descriptors by its port. Linux only, and only where FFI is
 * allowed: elsewhere TLS connections keep Nagle's algorithm.
 *
 * @module
 */

import { type Libc, libc } from "./_libc.ts";

// Linux's socket constants (the same on x86_64 and aarch64).
const SOL_SOCKET = 1;
const SO_ACCEPTCONN = 30;
const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const AF_INET = 2;
const AF_INET6 = 10;
/** Where `/proc` cannot be read, descriptors below this are tried. */
const SCANNED_DESCRIPTORS = 1024;

/** The process's open descriptors, from `/proc` or a bounded guess. */
function descriptors(): number[] {
  try {
    return Array.from(Deno.readDirSync("/proc/self/fd"), (e) => Number(e.name))
      .filter(Number.isInteger);
  } catch {
    return Array.from({ length: SCANNED_DESCRIPTORS }, (_, fd) => fd);
  }
}

/** An `int` socket option of `fd`, or `null` where it has none (not a socket). */
function intOption(
  lib: Libc,
  fd: number,
  level: number,
  name: number,
): number | null {
  const value = new Int32Array(1);
  const length = new Uint32Array([4]);
  return lib.getsockopt(fd, level, name, value, length) === 0
    ? value[0]!
    : null;
}

/** The TCP port `fd` is bound to, or `null` for anything else. */
function boundPort(lib: Libc, fd: number): number | null {
  const address = new Uint8Array(128);
  const length = new Uint32Array([address.length]);
  if (lib.getsockname(fd, address, length) !== 0) return null;
  const family = address[0]! | (address[1]! << 8);
  if (family !== AF_INET && family !== AF_INET6) return null;
  return (address[2]! << 8) | address[3]!;
}

/** This process's listening sockets bound to TCP port `port`. */
function listeningOn(lib: Libc, port: number): number[] {
  return descriptors().filter((fd) =>
    intOption(lib, fd, SOL_SOCKET, SO_ACCEPTCONN) === 1 &&
    boundPort(lib, fd) === port
  );
}

/**
 * Sets `TCP_NODELAY` on this process's listening socket bound to `addr`'s
 * port, so that every connection it accepts from now on has it. Returns
 * whether it did (`false` off Linux, without FFI, or where no such
 * listener is found).
 */
export function setListenerNoDelay(addr: Deno.Addr): boolean {
  const lib = libc();
  if (lib === null || addr.transport !== "tcp") return false;
  const on = new Int32Array([1]);
  return listeningOn(lib, addr.port)
    .map((fd) => lib.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, on, 4) === 0)
    .includes(true);
}

/**
 * Whether the listening socket bound to `addr`'s port has `TCP_NODELAY`;
 * `null` where that cannot be told (as {@linkcode setListenerNoDelay}).
 */
export function listenerNoDelay(addr: Deno.Addr): boolean | null {
  const lib = libc();
  if (lib === null || addr.transport !== "tcp") return null;
  const fd = listeningOn(lib, addr.port)[0];
  return fd === undefined
    ? null
    : intOption(lib, fd, IPPROTO_TCP, TCP_NODELAY) === 1;
}
