/**
 * `LiveReload`: watches a served folder and tells open pages to reload.
 *
 * @module
 */
import { LIVE_RELOAD_PATH } from "./_live_reload.ts";
import { skippable, watchedFolders } from "./_watched_folders.ts";

/** Changes closer together than this are sent as one reload. */
const SETTLE_MS = 100;
/**
 * The longest a burst is held: a file written without a pause (a log in
 * the folder) still reloads the pages this often.
 */
const MAX_SETTLE_MS = 2_000;
/**
 * How often the folders are walked again when one went between the walk
 * and the start of watching.
 */
const WATCH_ATTEMPTS = 3;

/** Called with the changed paths (relative, `/`-separated). */
export type ChangeListener = (paths: readonly string[]) => void;

function relativeTo(roots: readonly string[], path: string): string | null {
  for (const root of roots) {
    if (path === root) return "";
    const prefix = root.endsWith("/") || root.endsWith("\\")
      ? root
      : root + "/";
    const alt = prefix.replaceAll("/", "\\");
    if (path.startsWith(prefix) || path.startsWith(alt)) {
      return path.slice(prefix.length).replaceAll("\\", "/");
    }
  }
  return null;
}

/** Hidden names (`.git/…`, editor swap files, upload temporaries) never reload. */
function ignored(relative: string): boolean {
  return relative.split("/").some((part) => part.startsWith("."));
}

/**
 * Watches `directory` and the folders under it (with `Deno.watchFs`) for
 * {@linkcode HostingHTTPRequestHandler}'s live reload: HTML pages it serves
 * get a small script that opens an event stream at {@linkcode path}, and
 * each change in the folder sends every open page a `change` event, so it
 * reloads. Changes under hidden names (`.git/`, editor swap files) are
 * ignored, and a burst of changes (a build writing many files) makes one
 * reload.
 *
 * Symbolic links are not followed for watching: a change behind a link
 * leading out of the folder reloads no page. Folders that cannot be read,
 * and hidden folders, are not watched. A folder created later is watched
 * from when its creation is seen.
 *
 * Close it (or `using` it) to stop watching; open event streams then end.
 *
 * @example Hear about a change
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { LiveReload } from "@pyport/web/http/server";
 * const dir = await Deno.makeTempDir();
 * using live = new LiveReload(dir);
 * const changed = new Promise<readonly string[]>((resolve) => live.subscribe(resolve));
 * await new Promise((r) => setTimeout(r, 100)); // let the watcher start
 * await Deno.writeTextFile(`${dir}/page.html`, "<p>new</p>");
 * assert((await changed).includes("page.html"));
 * live.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class LiveReload implements Disposable {
  /** The folder watched. */
  readonly directory: string;
  /** The URL path of the event stream pages listen to. */
  readonly path: string = LIVE_RELOAD_PATH;
  #watcher: Deno.FsWatcher;
  readonly #roots: string[];
  /** Where the walk starts: the folder's real path, links resolved. */
  readonly #root: string;
  /** The folders watched, as the watcher's events spell them. */
  #folders = new Set<string>();
  readonly #listeners = new Set<ChangeListener>();
  readonly #closers = new Set<() => void>();
  readonly #pending = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the burst being held began (`performance.now()`). */
  #burstStart = 0;
  #closed = false;
  /** Whether the last walk found folders made while watching again. */
  #foldersBehind = false;
  /** Tells this watcher's versions from those of an earlier server. */
  readonly #instance = crypto.randomUUID().slice(0, 8);
  #changes = 0;

  /** Starts watching `directory`. */
  constructor(directory: string) {
    this.directory = directory;
    this.#roots = [directory];
    try {
      this.#roots.push(Deno.realPathSync(directory));
    } catch {
      // Reported by the walk below.
    }
    this.#root = this.#roots.at(-1) as string;
    this.#watcher = this.#watch(watchedFolders(this.#root));
    this.#pump();
  }

  /**
   * Watches `folders` (each without what is under it), walking again when
   * one went before watching began; remembers what it watches.
   */
  #watch(folders: string[]): Deno.FsWatcher {
    for (let attempt = 1;; attempt++) {
      try {
        const watcher = Deno.watchFs(folders, { recursive: false });
        this.#folders = new Set(folders);
        return watcher;
      } catch (error) {
        if (attempt >= WATCH_ATTEMPTS || !skippable(error)) throw error;
        folders = watchedFolders(this.#root);
      }
    }
  }

  /**
   * Watches again, with `appeared` (new folders an event named). The old
   * watcher is closed by then, so folders made anywhere meanwhile (the rest
   * of a burst: an unpacked archive, a checkout) were never named: the
   * whole folder is walked, walked again once watched (and watched again
   * while that finds more), and each folder found that no event named is
   * reported as changed.
   */
  #watchAlso(appeared: readonly string[]): Deno.FsWatcher {
    const known = new Set([...this.#folders, ...appeared]);
    let watcher = this.#watch(watchedFolders(this.#root));
    for (let attempt = 1;; attempt++) {
      let unseen = false;
      for (const folder of this.#folders) {
        if (known.has(folder)) continue;
        known.add(folder);
        const relative = relativeTo(this.#roots, folder);
        if (relative !== null) this.#pending.add(relative);
        unseen = true;
      }
      if (unseen) this.#settle();
      const folders = watchedFolders(this.#root);
      this.#foldersBehind = !folders.every((folder) =>
        this.#folders.has(folder)
      );
      if (!this.#foldersBehind || attempt >= WATCH_ATTEMPTS) return watcher;
      watcher.close();
      watcher = this.#watch(folders);
    }
  }

  /**
   * Whether `path` (from an event, not hidden) is a folder not yet watched.
   * A path that is no longer a folder is forgotten, so one made again under
   * its name is seen as new.
   */
  #unwatchedFolder(path: string): boolean {
    let folder = false;
    try {
      folder = Deno.lstatSync(path).isDirectory;
    } catch {
      // Gone.
    }
    if (!folder) this.#folders.delete(path);
    return folder && !this.#folders.has(path);
  }

  async #pump(): Promise<void> {
    while (!this.#closed) {
      const appeared: string[] = [];
      try {
        for await (const event of this.#watcher) {
          if (event.kind === "access") continue;
          let seen = false;
          for (const path of event.paths) {
            const relative = relativeTo(this.#roots, path);
            if (relative !== null && !ignored(relative)) {
              this.#pending.add(relative);
              seen = true;
              if (relative !== "" && this.#unwatchedFolder(path)) {
                appeared.push(path);
              }
            }
          }
          // Hidden names (a .git being written) neither start nor hold one.
          if (seen) this.#settle();
          if (appeared.length > 0) break;
        }
      } catch {
        // The watcher failed (folder removed): no more reloads.
        return;
      }
      if (appeared.length === 0 || this.#closed) return;
      // A new folder: watch it and what is under it. The old watcher goes
      // first, so one inotify instance at most is held (128 per user).
      try {
        this.#watcher.close();
      } catch {
        // Closed by leaving the loop.
      }
      try {
        this.#watcher = this.#watchAlso(appeared);
        // Folders still being made (a long burst): once it has had a
        // moment, walk and watch again, until a walk finds none unwatched.
        while (this.#foldersBehind) {
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          if (this.#closed) return;
          this.#watcher.close();
          this.#watcher = this.#watchAlso([]);
        }
      } catch {
        // The folder went, or the system's watch limit: no more reloads.
        return;
      }
    }
  }

  /**
   * (Re)starts the wait for the burst to settle: it is sent once no change
   * has come for SETTLE_MS, or MAX_SETTLE_MS after it began.
   */
  #settle(): void {
    const now = performance.now();
    if (this.#timer === undefined) this.#burstStart = now;
    else clearTimeout(this.#timer);
    const wait = Math.min(SETTLE_MS, this.#burstStart + MAX_SETTLE_MS - now);
    this.#timer = setTimeout(() => this.#send(), Math.max(0, wait));
  }

  #send(): void {
    this.#timer = undefined;
    this.#changes++;
    const paths = [...this.#pending];
    this.#pending.clear();
    for (const listener of this.#listeners) listener(paths);
  }

  /** Whether {@linkcode close} has run. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * A name for the folder as last reported: it changes with each change
   * reported to subscribers and differs from any other watcher's (a server
   * started again), so a page that carries the version it was served with
   * can tell whether it is current.
   *
   * @example
   * ```ts
   * import { notEqual } from "node:assert/strict";
   * import { LiveReload } from "@pyport/web/http/server";
   * const dir = await Deno.makeTempDir();
   * const first = new LiveReload(dir);
   * const second = new LiveReload(dir);
   * notEqual(first.version, second.version);
   * first.close();
   * second.close();
   * await Deno.remove(dir);
   * ```
   */
  get version(): string {
    return `${this.#instance}-${this.#changes}`;
  }

  /**
   * Calls `listener` after each settled burst of changes, and `onClose`
   * when watching stops; returns a function that unsubscribes both.
   */
  subscribe(listener: ChangeListener, onClose?: () => void): () => void {
    this.#listeners.add(listener);
    if (onClose) {
      if (this.#closed) onClose();
      else this.#closers.add(onClose);
    }
    return () => {
      this.#listeners.delete(listener);
      if (onClose) this.#closers.delete(onClose);
    };
  }

  /** Stops watching and ends every subscription. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      this.#watcher.close();
    } catch {
      // Already closed.
    }
    this.#listeners.clear();
    for (const onClose of this.#closers) onClose();
    this.#closers.clear();
  }

  /** Same as {@linkcode close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
