/**
 * Small pieces the socket examples share, so that they print what their
 * Python originals print: `time.ctime()`, the repr of an address tuple
 * and of bytes, and lines typed at a `> ` prompt (Python's `input()`),
 * read without blocking the sockets.
 *
 * @module
 */
import type { Address } from "@pyport/web/socketserver";
import { BaseHTTPRequestHandler } from "@pyport/web/http/server";

/** Python's `time.ctime()`: `"Mon Nov 25 16:06:00 2024"`, local time. */
export function ctime(date: Date = new Date()): string {
  // Fixed English names, as C's asctime() writes them whatever the locale
  // (and without building a date formatter per call): http.server's own
  // tables, Monday first and months from 1.
  const { weekdayname, monthname } = BaseHTTPRequestHandler.prototype;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${weekdayname[(date.getDay() + 6) % 7]} ${
    monthname[date.getMonth() + 1]
  } ${String(date.getDate()).padStart(2)} ${two(date.getHours())}:${
    two(date.getMinutes())
  }:${two(date.getSeconds())} ${date.getFullYear()}`;
}

/** An address as Python prints it: `('127.0.0.1', 65432)` or `'/path'`. */
export function addressRepr(address: Address): string {
  return typeof address === "string"
    ? `'${address}'`
    : `('${address[0]}', ${address[1]})`;
}

/** Bytes as Python prints them: `b'Hello, world'`. */
export function bytesRepr(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) {
    if (byte === 0x27 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte === 0x0a) out += "\\n";
    else if (byte === 0x0d) out += "\\r";
    else if (byte === 0x09) out += "\\t";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, "0")}`;
  }
  return `b'${out}'`;
}

const encoder = new TextEncoder();

/** Writes `text` to stdout without a newline (a prompt). */
export function write(text: string): void {
  Deno.stdout.writeSync(encoder.encode(text));
}

/**
 * Lines typed on stdin (without their newline), each asked for with
 * `prompt` as Python's `input(prompt)` would; ends at end of input.
 */
export async function* input(prompt: string): AsyncGenerator<string> {
  const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
  let pending = "";
  write(prompt);
  for await (const chunk of lines) {
    pending += chunk;
    let newline: number;
    while ((newline = pending.indexOf("\n")) !== -1) {
      const line = pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      yield line;
      write(prompt);
    }
  }
  if (pending) yield pending;
}
