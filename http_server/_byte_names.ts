/**
 * File names that are not UTF-8, for the file server. Python lists and opens
 * them through `surrogateescape`: each byte that is not UTF-8 becomes a lone
 * surrogate U+DC80–U+DCFF in the name, and back to the byte when the name is
 * used. Paths here carry the same escapes.
 *
 * Deno's file APIs (and its `node:fs`, even with `Buffer` paths) turn such
 * bytes into U+FFFD, so the name can be neither read from a folder nor
 * opened. On Linux with all permissions (`-A`: FFI, and the alias below,
 * which Deno opens only then), this module asks the C library directly:
 * `readdir` for the exact names, `realpath`, and `open(O_PATH)` for a
 * descriptor whose `/proc/self/fd/N` alias Deno can stat and open.
 * Anywhere else, a listed name Deno cannot reach is marked `unreachable`
 * (the listing shows it without a link). Names that are valid UTF-8 take
 * Deno's own calls, unchanged and at no extra cost.
 *
 * Follows CPython 3.13 `Lib/os.py` (`fsdecode`/`fsencode` with surrogateescape), as `Lib/http/server.py` lists and opens such names.
 *
 * @module
 */
import { decodeBytes, encodeText } from "../_util/codec/mod.ts";
import { type Libc, libc, O_CLOEXEC, O_PATH } from "./_libc.ts";
import { joinName } from "./_translate.ts";

/** A folder entry whose name is exact (surrogate-escaped when not UTF-8). */
export interface ExactDirEntry extends Deno.DirEntry {
  /** Deno cannot open this name (it read it with its bytes replaced by U+FFFD). */
  readonly unreachable?: boolean;
}

const PATH_MAX = 4096;
// struct dirent (glibc, 64-bit): d_ino 8, d_off 8, d_reclen 2, d_type 1, d_name.
const D_TYPE = 18;
const D_NAME = 19;
const DT_DIR = 4;
const DT_REG = 8;
const DT_LNK = 10;

/** A name's bytes as Python's `os.fsdecode` gives them. */
function decode(bytes: Uint8Array): string {
  return decodeBytes(bytes, "utf-8", "surrogateescape");
}

/** Whether `path` holds escaped bytes (lone surrogates). */
function hasEscapes(path: string): boolean {
  return !path.isWellFormed();
}

let aliasWorks: boolean | undefined;

/**
 * Whether Deno opens a descriptor's `/proc/self/fd/N` alias here, tried
 * once: it refuses without all permissions (`--allow-ffi` alone is not
 * enough), and a name reached only through the alias is then unreachable.
 */
function aliasUsable(lib: Libc): boolean {
  if (aliasWorks === undefined) {
    aliasWorks = false;
    const fd = lib.open(cPath("/"), O_PATH | O_CLOEXEC);
    if (fd >= 0) {
      try {
        Deno.statSync(`/proc/self/fd/${fd}`);
        aliasWorks = true;
      } catch {
        // Not all permissions, or no /proc.
      } finally {
        lib.close(fd);
      }
    }
  }
  return aliasWorks;
}

/**
 * Runs `use` with the C library, or returns `null` where it cannot be
 * asked, or where what it finds could not be opened (the alias refused).
 */
function withLibc<T>(use: (libc: Libc) => T): T | null {
  const lib = libc();
  return lib === null || !aliasUsable(lib) ? null : use(lib);
}

function notFound(path: string): Deno.errors.NotFound {
  return new Deno.errors.NotFound(`No such file or directory: ${path}`);
}

/** `path` as the NUL-terminated bytes the system knows it by. */
export function cPath(path: string): Uint8Array<ArrayBuffer> {
  let bytes: Uint8Array;
  try {
    bytes = encodeText(path, "utf-8", "surrogateescape");
  } catch {
    // A lone surrogate that stands for no byte: no file has that name.
    throw notFound(path);
  }
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** The NUL-terminated bytes at `offset` of `view` (at most 255: NAME_MAX). */
function cName(view: Deno.UnsafePointerView, offset: number): Uint8Array {
  const out: number[] = [];
  for (let i = offset; out.length < 255; i++) {
    const byte = view.getUint8(i);
    if (byte === 0) break;
    out.push(byte);
  }
  return Uint8Array.from(out);
}

/**
 * Runs `use` with a path Deno can use for `path`: itself when it is valid
 * Unicode, else `/proc/self/fd/N` for a descriptor the C library opened on
 * its bytes (closed afterwards; what `use` opened through it stays open).
 */
function viaAlias<T>(path: string, use: (denoPath: string) => T): T {
  if (!hasEscapes(path)) return use(path);
  const result = withLibc((libc) => {
    const fd = libc.open(cPath(path), O_PATH | O_CLOEXEC);
    if (fd < 0) throw notFound(path);
    try {
      return { value: use(`/proc/self/fd/${fd}`) };
    } finally {
      libc.close(fd);
    }
  });
  if (result === null) throw notFound(path);
  return result.value;
}

function entryOf(name: string, type: number, stat: () => Deno.FileInfo) {
  if (type === DT_DIR || type === DT_REG || type === DT_LNK) {
    return {
      name,
      isFile: type === DT_REG,
      isDirectory: type === DT_DIR,
      isSymlink: type === DT_LNK,
    };
  }
  // A file system that does not report types: ask.
  const info = stat();
  return {
    name,
    isFile: info.isFile,
    isDirectory: info.isDirectory,
    isSymlink: false,
  };
}

/** The folder's entries with their exact names, from the C library. */
function exactEntries(path: string): ExactDirEntry[] | null {
  return withLibc((libc) => {
    const dir = libc.opendir(cPath(path));
    if (dir === null) throw notFound(path);
    const entries: ExactDirEntry[] = [];
    try {
      for (let entry = libc.readdir(dir); entry; entry = libc.readdir(dir)) {
        const view = new Deno.UnsafePointerView(entry);
        const name = decode(cName(view, D_NAME));
        if (name === "." || name === "..") continue;
        const full = joinName(path, name);
        entries.push(
          entryOf(name, view.getUint8(D_TYPE), () => statSync(full)),
        );
      }
    } finally {
      libc.closedir(dir);
    }
    return entries;
  });
}

/**
 * Deno's entries with their exact names: when a name came back with U+FFFD
 * (possibly a replaced byte), the C library is asked; without it, names
 * Deno cannot reach are marked unreachable.
 */
function exactNames(path: string, listed: Deno.DirEntry[]): ExactDirEntry[] {
  if (!listed.some((entry) => entry.name.includes("\ufffd"))) return listed;
  const exact = exactEntries(path);
  if (exact !== null) return exact;
  return listed.map((entry) => {
    if (!entry.name.includes("\ufffd")) return entry;
    try {
      Deno.lstatSync(joinName(path, entry.name));
      return entry; // A name that really holds U+FFFD.
    } catch {
      return { ...entry, unreachable: true };
    }
  });
}

/** `Deno.statSync` for a path that may hold escaped bytes. */
export function statSync(path: string): Deno.FileInfo {
  return viaAlias(path, (p) => Deno.statSync(p));
}

/** {@linkcode statSync}, or `null` where the path has no metadata. */
export function statOrNull(path: string): Deno.FileInfo | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** `Deno.stat` for a path that may hold escaped bytes. */
export function stat(path: string): Promise<Deno.FileInfo> {
  if (!hasEscapes(path)) return Deno.stat(path);
  try {
    return Promise.resolve(statSync(path));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `Deno.openSync` for a path that may hold escaped bytes. */
export function openSync(
  path: string,
  options?: Deno.OpenOptions,
): Deno.FsFile {
  return viaAlias(path, (p) => Deno.openSync(p, options));
}

/** `Deno.open` for a path that may hold escaped bytes. */
export async function open(
  path: string,
  options?: Deno.OpenOptions,
): Promise<Deno.FsFile> {
  if (!hasEscapes(path)) return await Deno.open(path, options);
  return openSync(path, options);
}

/** `Deno.realPathSync`, with escaped bytes in both the path and the answer. */
export function realPathSync(path: string): string {
  if (!hasEscapes(path)) {
    try {
      return Deno.realPathSync(path);
    } catch (error) {
      // The real path goes through a name that is not UTF-8.
      if (!(error instanceof Deno.errors.InvalidData)) throw error;
    }
  }
  const real = withLibc((libc) => {
    const out = new Uint8Array(PATH_MAX);
    if (libc.realpath(cPath(path), out) === null) throw notFound(path);
    return decode(out.subarray(0, out.indexOf(0)));
  });
  if (real === null) throw notFound(path);
  return real;
}

function escapedEntries(path: string): ExactDirEntry[] {
  const entries = exactEntries(path);
  if (entries === null) throw notFound(path);
  return entries;
}

/**
 * `entry` as a plain object of the same fields. Deno's own entries cost
 * about 400 bytes of heap each (a copy: 120), which a folder of 100,000
 * names held for its listing made 40 MB.
 */
function plain(entry: Deno.DirEntry): Deno.DirEntry {
  const { name, isFile, isDirectory, isSymlink } = entry;
  return { name, isFile, isDirectory, isSymlink };
}

/** `Deno.readDirSync` with exact names. */
export function readDirSync(path: string): ExactDirEntry[] {
  if (hasEscapes(path)) return escapedEntries(path);
  return exactNames(path, Array.from(Deno.readDirSync(path), plain));
}

/**
 * `Deno.readDir` with exact names, as one array: Deno reads the folder in
 * a few large batches, and yielding its entries one by one through an
 * async iterator cost more than the reading (0.4 s of 0.7 for 100,000).
 */
export async function readDir(path: string): Promise<ExactDirEntry[]> {
  if (hasEscapes(path)) return escapedEntries(path);
  const listed: Deno.DirEntry[] = [];
  for await (const entry of Deno.readDir(path)) listed.push(plain(entry));
  return exactNames(path, listed);
}
