/**
 * The C library, for what Deno's own calls cannot do on Linux: reach
 * names that are not UTF-8 (`_byte_names.ts`), open a path along which no
 * name is a symbolic link (`_open_node.ts`) and turn off Nagle's algorithm
 * for TLS connections (`_listener_nodelay.ts`). Loaded once, on first use,
 * where FFI is allowed (asking never prompts): a per-request `dlopen`
 * would cost more than the calls it serves. `null` anywhere else.
 *
 * @module
 */

// Linux's open(2) flags on x86_64 and aarch64.
/** Open for naming only: no I/O. */
export const O_PATH = 0o10000000;
/** Closed in programs this one starts. */
export const O_CLOEXEC = 0o2000000;

const SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  close: { parameters: ["i32"], result: "i32" },
  pread: { parameters: ["i32", "buffer", "usize", "i64"], result: "isize" },
  opendir: { parameters: ["buffer"], result: "pointer" },
  readdir: { parameters: ["pointer"], result: "pointer" },
  closedir: { parameters: ["pointer"], result: "i32" },
  realpath: { parameters: ["buffer", "buffer"], result: "pointer" },
  // For system calls the C library has no wrapper for (openat2).
  syscall: {
    parameters: ["i64", "i64", "buffer", "buffer", "u64"],
    result: "i64",
  },
  getsockname: { parameters: ["i32", "buffer", "buffer"], result: "i32" },
  getsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "buffer"],
    result: "i32",
  },
  setsockopt: {
    parameters: ["i32", "i32", "i32", "buffer", "u32"],
    result: "i32",
  },
  // errno, read right after a call that failed, on the same thread.
  __errno_location: { parameters: [], result: "pointer", optional: true },
  statx: {
    parameters: ["i32", "buffer", "i32", "u32", "buffer"],
    result: "i32",
    optional: true, // glibc 2.28 and later.
  },
} as const;

/** The C library's functions this package calls. */
export type Libc = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];

let loaded: Libc | null | undefined;

/** The C library on Linux where FFI is allowed, else `null`. */
export function libc(): Libc | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const usable = Deno.build.os === "linux" &&
    Deno.permissions.querySync({ name: "ffi" }).state === "granted";
  if (usable) {
    try {
      loaded = Deno.dlopen("libc.so.6", SYMBOLS).symbols;
    } catch {
      // Not glibc (musl names it otherwise): the callers' fallbacks apply.
    }
  }
  return loaded;
}
