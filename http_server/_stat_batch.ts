/**
 * One stat per path for all the requests read in the same turn of the
 * event loop, taken after every one of them was read.
 *
 * A server under load reads many requests per turn (with 32 kept-alive
 * clients, about 30), most for the same few files, and stats the file
 * each names on every request so that a change is never missed. What the
 * guarantee needs is a stat taken after the request arrived: then any
 * change the client finished before sending it is seen. A request's bytes
 * are in our hands only after the socket read that brought them, so a stat
 * taken after we saw them qualifies. The requests of a turn therefore wait
 * a microtask for one shared stat, run once all of them have reached this
 * point; no request is answered from a stat older than itself. The folder
 * boundary's proof is shared the same way: one check per turn that the
 * served folder is still the one served, and one `lstat` per name on the
 * way.
 *
 * @module
 */

import { statOrNull } from "./_byte_names.ts";
import {
  folderStillServed,
  isFolderItself,
  lstatOrNull,
  statPlainPathInside,
  UNDECIDED,
} from "./_inside.ts";

/** A path's metadata as `send_head` needs it, and when it was taken. */
export interface PathCheck {
  /**
   * What `statPlainPathInside` answered (or, following symbolic links,
   * the path's own `stat`): the metadata, `null` for none, or
   * {@linkcode UNDECIDED}.
   */
  readonly info: Deno.FileInfo | null | typeof UNDECIDED;
  /** `Date.now()` just before the stat. */
  readonly checkedAt: number;
}

interface Waiting {
  readonly path: string;
  readonly directory: string;
  readonly followSymlinks: boolean;
  readonly promise: Promise<PathCheck>;
  resolve(check: PathCheck): void;
  reject(error: unknown): void;
}

/** Paths asked for since the last stats, by key; `null` when none are. */
let waiting: Map<string, Waiting> | null = null;

/**
 * The metadata of `path` for a request whose bytes were read before this
 * call, shared with the other requests of this turn that ask for the same
 * path. With `followSymlinks`, `stat` (links followed, `null` when
 * missing); else {@linkcode statPlainPathInside} against `directory`.
 */
export function checkPath(
  path: string,
  directory: string,
  followSymlinks: boolean,
): Promise<PathCheck> {
  const key = followSymlinks ? path : `${directory}\0${path}`;
  if (waiting === null) {
    waiting = new Map();
    queueMicrotask(statAll);
  }
  let entry = waiting.get(key);
  if (entry === undefined) {
    const { promise, resolve, reject } = Promise.withResolvers<PathCheck>();
    entry = { path, directory, followSymlinks, promise, resolve, reject };
    waiting.set(key, entry);
  }
  return entry.promise;
}

/** Takes every waiting path's stat; later requests start a new round. */
function statAll(): void {
  const paths = waiting!;
  waiting = null;
  const checkedAt = Date.now();
  const round = new Round();
  for (const entry of paths.values()) {
    try {
      const info = entry.followSymlinks
        ? statOrNull(entry.path)
        : round.statInside(entry.path, entry.directory);
      entry.resolve({ info, checkedAt });
    } catch (error) {
      entry.reject(error);
    }
  }
}

/**
 * What one round of stats learns once for all its paths: whether each
 * served folder still resolves where it did, and the `lstat` of each name
 * on the way (the folders of a tree are shared by many of its files).
 */
class Round {
  readonly #folders = new Map<string, boolean>();
  readonly #names = new Map<string, Deno.FileInfo | null>();
  readonly #lstat = (path: string): Deno.FileInfo | null => {
    let info = this.#names.get(path);
    if (info === undefined) {
      info = lstatOrNull(path);
      this.#names.set(path, info);
    }
    return info;
  };

  /**
   * {@linkcode statPlainPathInside}, once the folder is seen to be the one
   * served; for the folder itself, its `stat`.
   */
  statInside(
    path: string,
    directory: string,
  ): Deno.FileInfo | null | typeof UNDECIDED {
    let served = this.#folders.get(directory);
    if (served === undefined) {
      served = folderStillServed(directory);
      this.#folders.set(directory, served);
    }
    // A folder that became a link elsewhere: the general check refuses
    // what is now outside.
    if (!served) return UNDECIDED;
    if (isFolderItself(path, directory)) return statOrNull(directory);
    return statPlainPathInside(path, directory, this.#lstat);
  }
}
