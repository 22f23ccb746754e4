/**
 * Opening files and folders through the C library, for what Deno's open
 * cannot do: open a path only when no name along it is a symbolic link,
 * in one system call (Linux's `openat2` with `RESOLVE_NO_SYMLINKS`), and
 * open without ever blocking on a FIFO.
 *
 * The folder check (`_inside.ts`, or `realpath` where links are on the
 * way) and an open by name each resolve the path anew, so a link swapped
 * in between them leads the open where the check never looked. The served
 * folder's real path with plain names below it, opened this way, cannot
 * leave the folder: each name is looked up in the folder the one before it
 * named, none may be a link, and none is `..`. The open fails instead
 * (the caller then checks the path again).
 *
 * Deno has no such open and cannot adopt a descriptor, so a small file is
 * read through the C library (`pread`), and anything else is reached
 * through the descriptor's `/proc/self/fd/N` alias, which names that very
 * file whatever happens to the path meanwhile (opening through it costs
 * about 6 µs, more than the rest together). Neither open blocks on a FIFO
 * swapped in for the file checked (`O_NONBLOCK`, which regular files
 * ignore), as Deno's would, stalling every request. Needs Linux 5.6, glibc
 * 2.28, FFI and the alias, which Deno opens only with all permissions
 * (`-A`); {@linkcode nodeOpenWorks} says whether this process has them.
 *
 * @module
 */
import { cPath } from "./_byte_names.ts";
import { type Libc, libc, O_CLOEXEC, O_PATH } from "./_libc.ts";

// The system call's number is the same on every Linux architecture.
const SYS_OPENAT2 = 437n;
const AT_FDCWD = -100n;
const RESOLVE_NO_MAGICLINKS = 0x02n;
const RESOLVE_NO_SYMLINKS = 0x04n;
// open(2) flags, the same on x86_64 and aarch64.
const O_NOCTTY = 0o400;
const O_NONBLOCK = 0o4000;
const AT_EMPTY_PATH = 0x1000;
const STATX_TYPE = 0x1;
const STATX_INO = 0x100;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
// struct statx: stx_mode (u16) at 28, stx_ino (u64) at 32, stx_dev_major
// and stx_dev_minor (u32) at 136 and 140; 256 bytes in all.
const STATX_SIZE = 256;
const STX_MODE = 28;
const STX_INO = 32;
const STX_DEV_MAJOR = 136;
const STX_DEV_MINOR = 140;

/** struct open_how { u64 flags; u64 mode; u64 resolve; } for `resolve`. */
function openHow(
  resolve: bigint,
  flags = O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    new BigUint64Array([BigInt(flags), 0n, resolve]).buffer,
  );
}
const LINK_FREE = openHow(RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
const FOLLOWING_LINKS = openHow(0n);
// For naming only (`O_PATH`, which openat2 takes with no other flag but
// `O_CLOEXEC`): needs no read permission on the node itself.
const NAME_LINK_FREE = openHow(
  RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
  O_PATH | O_CLOEXEC,
);
const NAME_FOLLOWING_LINKS = openHow(0n, O_PATH | O_CLOEXEC);
const EMPTY_PATH = new Uint8Array(1);
const statxBuffer = new Uint8Array(STATX_SIZE);
const statxView = new DataView(statxBuffer.buffer);

/**
 * A file or folder opened here, held open until closed. A file reads like
 * a `Deno.FsFile` read with `readSync` and `seekSync`.
 */
export class OpenNode implements Disposable {
  /** The device, as `Deno.FileInfo.dev` gives it. */
  readonly dev: number;
  /** The inode, as `Deno.FileInfo.ino` gives it. */
  readonly ino: number;
  /** A regular file. */
  readonly isFile: boolean;
  /** A folder. */
  readonly isDirectory: boolean;
  readonly #lib: Libc;
  #fd: number;
  #position = 0;

  constructor(lib: Libc, fd: number, statx: DataView) {
    this.#lib = lib;
    this.#fd = fd;
    const type = statx.getUint16(STX_MODE, true) & S_IFMT;
    this.dev = deviceNumber(
      statx.getUint32(STX_DEV_MAJOR, true),
      statx.getUint32(STX_DEV_MINOR, true),
    );
    this.ino = Number(statx.getBigUint64(STX_INO, true));
    this.isFile = type === S_IFREG;
    this.isDirectory = type === S_IFDIR;
  }

  /** A path Deno can stat, open or list that names this very node. */
  get alias(): string {
    return `/proc/self/fd/${this.#openFd()}`;
  }

  /** Reads into `buffer` from the current position; `null` at the end. */
  readSync(buffer: Uint8Array): number | null {
    if (buffer.length === 0) return 0;
    const read = Number(
      this.#lib.pread(
        this.#openFd(),
        // FFI takes any view's memory; its types name only ArrayBuffer's.
        buffer as Uint8Array<ArrayBuffer>,
        BigInt(buffer.length),
        BigInt(this.#position),
      ),
    );
    if (read < 0) throw new Deno.errors.BadResource("read failed");
    this.#position += read;
    return read === 0 ? null : read;
  }

  /** Moves the position to `offset` (from the start only). */
  seekSync(offset: number | bigint, whence: Deno.SeekMode): number {
    if (whence !== Deno.SeekMode.Start) {
      throw new TypeError("only seeking from the start is supported");
    }
    return this.#position = Number(offset);
  }

  /** The same file as a `Deno.FsFile` (at its start); this node is closed. */
  toFsFile(): Deno.FsFile {
    try {
      return Deno.openSync(this.alias);
    } finally {
      this.close();
    }
  }

  /** Closes the descriptor (once); the alias names nothing afterwards. */
  close(): void {
    if (this.#fd >= 0) this.#lib.close(this.#fd);
    this.#fd = -1;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #openFd(): number {
    if (this.#fd < 0) throw new Deno.errors.BadResource("closed");
    return this.#fd;
  }
}

let works: boolean | undefined;

/**
 * Whether {@linkcode openLinkFree} and {@linkcode openFollowingLinks} can
 * be used in this process: tried once, on the root folder, as they are
 * used (`openat2`, a kernel or sandbox may refuse; the alias, which Deno
 * refuses without all permissions).
 */
export function nodeOpenWorks(): boolean {
  if (works === undefined) {
    works = false;
    if (libc()?.statx != null) {
      let node: OpenNode | null;
      try {
        node = openLinkFree("/");
      } catch (error) {
        works = undefined; // No descriptor left: try again next time.
        throw error;
      }
      try {
        node?.toFsFile().close();
        works = node !== null;
      } catch {
        // The alias refused.
      }
    }
  }
  return works;
}

/**
 * Opens absolute path `path` for reading when no name along it is a
 * symbolic link; `null` when it cannot be (a link on the way, or nothing
 * there). Only where {@linkcode nodeOpenWorks}.
 */
export function openLinkFree(path: string): OpenNode | null {
  return openNode(path, LINK_FREE);
}

/**
 * Opens `path` for reading, following links, without blocking on a FIFO;
 * `null` when it cannot be. Only where {@linkcode nodeOpenWorks}.
 */
export function openFollowingLinks(path: string): OpenNode | null {
  return openNode(path, FOLLOWING_LINKS);
}

/**
 * Opens `path` as {@linkcode openLinkFree} (or, with `followLinks`,
 * {@linkcode openFollowingLinks}) does, for naming only: it needs no
 * permission to read the node, so it tells a node that is there but may
 * not be read from one that is not there (or not reached so). The node
 * cannot be read. Only where {@linkcode nodeOpenWorks}.
 */
export function openNameOnly(
  path: string,
  followLinks: boolean,
): OpenNode | null {
  return openNode(path, followLinks ? NAME_FOLLOWING_LINKS : NAME_LINK_FREE);
}

function openNode(path: string, how: Uint8Array<ArrayBuffer>): OpenNode | null {
  const lib = libc()!;
  let name: Uint8Array<ArrayBuffer>;
  try {
    name = cPath(path);
  } catch {
    return null; // A lone surrogate that stands for no byte.
  }
  const fd = Number(lib.syscall(SYS_OPENAT2, AT_FDCWD, name, how, 24n));
  if (fd < 0) {
    // No descriptor left is not "nothing there": the caller must not
    // answer 404 for a file that exists.
    const errno = lastErrno(lib);
    if (errno === ENFILE || errno === EMFILE) {
      throw Object.assign(
        new Error(
          `Too many open files${
            errno === ENFILE ? " in system" : ""
          } (os error ${errno})`,
        ),
        { errno },
      );
    }
    return null;
  }
  const mask = STATX_TYPE | STATX_INO;
  if (lib.statx!(fd, EMPTY_PATH, AT_EMPTY_PATH, mask, statxBuffer) !== 0) {
    lib.close(fd);
    return null;
  }
  return new OpenNode(lib, fd, statxView);
}

// Linux's error numbers for no descriptor left: system-wide, this process.
const ENFILE = 23;
const EMFILE = 24;

/** The C library's `errno` for the call that just failed; 0 if unknown. */
function lastErrno(lib: Libc): number {
  const at = lib.__errno_location?.();
  return at ? new Deno.UnsafePointerView(at).getInt32() : 0;
}

/** glibc's `makedev`, by which Deno (through Rust's `st_dev`) reports it. */
function deviceNumber(major: number, minor: number): number {
  return (major & 0xfffff000) * 2 ** 32 + (major & 0xfff) * 2 ** 8 +
    (minor & 0xffffff00) * 2 ** 12 + (minor & 0xff);
}
