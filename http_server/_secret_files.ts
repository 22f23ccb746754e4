/**
 * Files a server keeps from its clients (`SimpleHTTPRequestHandler`'s
 * `secret_files`): `serve` names there the files it reads its secrets
 * from — the TLS key, the certificate file (which may hold the key too),
 * the key's password and the users of `--auth-file`. People run
 * `serve --tls-cert cert.pem --tls-key key.pem` in the folder they serve,
 * where Python's `SimpleHTTPRequestHandler` hands every file to anyone who
 * asks, `/key.pem` included (CPython 3.13 checked; 3.14's command line,
 * whose TLS flags these are, serves with that handler).
 *
 * A file is known by its path and by its identity (device and inode, links
 * followed), so a symbolic or hard link to it is refused too, and a file
 * put in its place later (a renewed key moved over the old one) is still
 * refused by its path. Listings leave them out by name (a link to one
 * under another name is still listed, with a 404 behind it: knowing it
 * would take a `stat` per entry).
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { joinName } from "./_translate.ts";

/** The files to keep, as {@linkcode secretFilesOf} makes them. */
export interface SecretFiles {
  /** Their absolute paths. */
  readonly paths: ReadonlySet<string>;
  /** Their `device:inode` identities, where the system gives them. */
  readonly ids: ReadonlySet<string>;
}

/** `info`'s `device:inode`, or `null` where the system gives none. */
function identityOf(info: Deno.FileInfo): string | null {
  return info.ino === null ? null : `${info.dev}:${info.ino}`;
}

/** `path`'s identity (links followed); `null` when it has none. */
function identity(path: string): string | null {
  try {
    return identityOf(Deno.statSync(path));
  } catch {
    return null; // Missing or unreadable: nothing to compare.
  }
}

/** Each list's files, made once: handlers are made per connection. */
const made = new WeakMap<readonly string[], SecretFiles>();

/**
 * The files of `paths` (relative ones read from the current folder), their
 * identities taken on first use of that list.
 */
export function secretFilesOf(paths: readonly string[]): SecretFiles {
  let secrets = made.get(paths);
  if (secrets === undefined) {
    const absolute = paths.map((path) => resolve(path));
    const ids = absolute.map(identity).filter((id) => id !== null);
    secrets = { paths: new Set(absolute), ids: new Set(ids) };
    made.set(paths, secrets);
  }
  return secrets;
}

/**
 * Whether `path` (as `translate_path` gives it) is one of `secrets` or a
 * link to one; `info`, its metadata with links followed when the caller
 * has it (`null`: nothing is there), spares a `stat`.
 */
export function isSecretFile(
  secrets: SecretFiles,
  path: string,
  info?: Deno.FileInfo | null,
): boolean {
  if (secrets.paths.has(isAbsolute(path) ? path : resolve(path))) return true;
  if (secrets.ids.size === 0) return false;
  const id = info === undefined ? identity(path) : info && identityOf(info);
  return id !== null && secrets.ids.has(id);
}

/**
 * {@linkcode isSecretFile} for a handler's `secret_files` list: at no cost
 * when it is empty, as it is unless given.
 */
export function isAmong(
  list: readonly string[],
  path: string,
  info?: Deno.FileInfo | null,
): boolean {
  return list.length > 0 && isSecretFile(secretFilesOf(list), path, info);
}

const NONE = (_name: string) => false;

/**
 * Which entries a listing of folder `folder` leaves out: the files of a
 * handler's `secret_files` list found there by name.
 */
export function secretNames(
  list: readonly string[],
  folder: string,
): (name: string) => boolean {
  if (list.length === 0) return NONE;
  const { paths } = secretFilesOf(list);
  // Resolved once: an entry's name holds no separator, nor is `.` or `..`.
  const base = resolve(folder);
  return (name) => paths.has(joinName(base, name));
}
