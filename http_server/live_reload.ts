/**
 * `LiveReload`: watches a served folder and tells open pages to reload.
 *
 * @module
 */
import { LIVE_RELOAD_PATH } from "./_live_reload.ts";
import {
  type FoundFolders,
  inFolders,
  nextStep,
  type OpenWatch,
  sortFound,
} from "./_watch_plan.ts";
import {
  newFoldersUnder,
  skippable,
  unknownSubfolders,
  watchedFolders,
} from "./_watched_folders.ts";

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

/** One `Deno.watchFs` watcher and the folders it was given. */
interface Watch extends OpenWatch {
  readonly watcher: Deno.FsWatcher;
  /** Set when it is closed on purpose, which its end is then not a failure. */
  closing: boolean;
}

/** What a round of watching new folders did. */
interface Change {
  /** Folders watched now that were not before. */
  readonly added: string[];
  /** Watchers replaced, to close once their events are read. */
  readonly retired: Watch[];
  /** Folders made again, to watch once no open watcher lists them. */
  readonly stale: string[];
}

/** Whether `path` is a folder (not a link to one). */
function isFolder(path: string): boolean {
  try {
    return Deno.lstatSync(path).isDirectory;
  } catch {
    return false; // Gone.
  }
}

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
 * from when its creation is seen, walking just that folder; when events
 * were dropped (a burst bigger than Deno's queue), the whole folder is
 * walked again.
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
  readonly #roots: string[];
  /** Where the walk starts: the folder's real path, links resolved. */
  readonly #root: string;
  /**
   * The watchers in use: the one given the whole walk, and the extra ones
   * over folders that appeared since (see `_watch_plan.ts`).
   */
  #watches: Watch[] = [];
  /** Watchers replaced, closed once the events they hold are read. */
  #retiring: Watch[] = [];
  /** The folders watched, as the watchers' events spell them. */
  #folders = new Set<string>();
  /** Folders an event named or a listing found, not watched yet. */
  readonly #appeared = new Set<string>();
  /** Whether a watcher lost events (its queue overflowed). */
  #rescan = false;
  /** Whether new folders are being watched (`#grow` runs). */
  #growing = false;
  /** Whether a settled burst waits for the folders it names to be watched. */
  #held = false;
  /** The pause `#grow` is in, which `close()` ends at once. */
  #pause: { timer: ReturnType<typeof setTimeout>; end: () => void } | undefined;
  /** Whether watching ended for good (the folder went). */
  #stopped = false;
  readonly #listeners = new Set<ChangeListener>();
  readonly #closers = new Set<() => void>();
  readonly #pending = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the burst being held began (`performance.now()`). */
  #burstStart = 0;
  #closed = false;
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
    const walk = () => watchedFolders(this.#root);
    const whole = this.#open(walk(), walk, true) as Watch;
    this.#watches = [whole];
    this.#folders = new Set(whole.folders);
  }

  /**
   * Starts a watcher over `folders` (each without what is under it), with
   * `again()`'s folders when one went before watching began; none when
   * there is nothing to watch.
   */
  #open(
    folders: string[],
    again: () => string[],
    whole: boolean,
  ): Watch | undefined {
    for (let attempt = 1;; attempt++) {
      if (folders.length === 0) return undefined;
      try {
        // An extra watcher lists the served folder first, which Deno
        // matches every event with at once (see `_watch_plan.ts`).
        const listed = whole ? folders : [this.#root, ...folders];
        const watch: Watch = {
          watcher: Deno.watchFs(listed, { recursive: false }),
          folders: new Set(folders),
          whole,
          closing: false,
        };
        this.#pump(watch);
        return watch;
      } catch (error) {
        if (attempt >= WATCH_ATTEMPTS || !skippable(error)) throw error;
        folders = again();
      }
    }
  }

  /**
   * Whether `path` (from an event of `kind`, not hidden) is a folder not
   * yet watched. A watched folder removed or renamed (its watch went with
   * it), or no longer a folder, is forgotten, so one made again under its
   * name is seen as new, even when the event comes after it was made
   * again (Deno takes long over a removal in a big watcher's list). What
   * was under a renamed folder is forgotten with it (no event names it).
   */
  #unwatchedFolder(path: string, kind: Deno.FsEvent["kind"]): boolean {
    if (kind === "rename") {
      const under = [path + "/", path + "\\"];
      for (const folder of this.#folders) {
        if (under.some((prefix) => folder.startsWith(prefix))) {
          this.#folders.delete(folder);
        }
      }
    }
    const folder = isFolder(path);
    if (!folder || kind === "remove" || kind === "rename") {
      this.#folders.delete(path);
    }
    return folder && !this.#folders.has(path);
  }

  /** Takes `watch`'s events until it is closed or fails. */
  async #pump(watch: Watch): Promise<void> {
    try {
      for await (const event of watch.watcher) {
        // Each watcher is handed every event; it keeps those in its folders.
        const kept = event.flag === "rescan" ||
          event.paths.some((path) => inFolders(watch.folders, path));
        if (kept) this.#take(event);
      }
    } catch {
      // Failed: see below.
    }
    if (watch.closing || !this.#watches.includes(watch)) return;
    if (watch.whole) {
      // The watcher failed (root removed): no more reloads.
      this.#stop();
      return;
    }
    // An extra watcher failed: the others go on, and its folders still
    // there are watched again.
    this.#watches = this.#watches.filter((other) => other !== watch);
    this.#closeWatch(watch);
    for (const folder of watch.folders) {
      if (this.#watches.some((other) => other.folders.has(folder))) continue;
      this.#folders.delete(folder);
      this.#appeared.add(folder);
    }
    this.#grow();
  }

  /** Adds what `event` names to the burst; notes folders that appeared. */
  #take(event: Deno.FsEvent): void {
    if (event.kind === "access") return;
    if (event.flag === "rescan") {
      // The watcher's queue overflowed: its events (folders made among
      // them too) were dropped, so everything is walked again.
      this.#rescan = true;
      this.#pending.add("");
      this.#settle();
      this.#grow();
      return;
    }
    let seen = false;
    let appeared = false;
    for (const path of event.paths) {
      const relative = relativeTo(this.#roots, path);
      if (relative === null || ignored(relative)) continue;
      this.#pending.add(relative);
      seen = true;
      if (relative !== "" && this.#unwatchedFolder(path, event.kind)) {
        this.#appeared.add(path);
        appeared = true;
      }
    }
    // Hidden names (a .git being written) neither start nor hold one.
    if (seen) this.#settle();
    if (appeared) this.#grow();
  }

  /**
   * Watches the folders that appeared, round after round while more do
   * (folders made in new ones before they were watched, a long burst).
   */
  async #grow(): Promise<void> {
    const more = () =>
      !this.#stopped && !this.#closed &&
      (this.#appeared.size > 0 || this.#rescan);
    if (this.#growing || !more()) return;
    this.#growing = true;
    try {
      for (;;) {
        // The events already queued (the rest of a burst) come in first,
        // so that one round takes them all.
        await this.#wait(0);
        if (!more()) break;
        await this.#round();
      }
    } catch {
      // The folder went, or cannot be read: no more reloads.
      this.#stop();
    } finally {
      this.#growing = false;
      if (this.#held && !this.#closed) {
        clearTimeout(this.#timer);
        this.#send();
      }
    }
  }

  /**
   * One round: the folders that appeared and those under them (walking
   * just those) get a watcher, as `nextStep` decides; each is reported as
   * changed, and listed again once watched, since folders made in it
   * before that were never named by an event.
   */
  async #round(): Promise<void> {
    const roots = [...this.#appeared];
    this.#appeared.clear();
    const rescan = this.#rescan;
    this.#rescan = false;
    let change: Change | undefined;
    if (rescan) change = this.#consolidate();
    else {
      const found = () =>
        sortFound(newFoldersUnder(roots, this.#folders), this.#watches);
      let sorted: FoundFolders;
      try {
        sorted = found();
      } catch {
        return; // A new folder could not be read: not watched.
      }
      const step = nextStep(this.#watches, sorted);
      if (step === "consolidate") change = this.#consolidate();
      else if (step !== "none") change = this.#extend(step, sorted, found);
    }
    if (change === undefined) return;
    this.#report(change.added);
    try {
      for (const folder of unknownSubfolders(change.added, this.#folders)) {
        this.#appeared.add(folder);
      }
    } catch {
      // One cannot be read now: what is in it stays unwatched.
    }
    if (change.retired.length > 0) {
      // The replaced watchers go once the events they hold are read.
      this.#retiring = change.retired;
      await this.#wait(SETTLE_MS);
      for (const watch of change.retired) this.#closeWatch(watch);
      this.#retiring = [];
    }
    // No watcher lists these now: they can be watched.
    for (const folder of change.stale) this.#appeared.add(folder);
  }

  /**
   * Replaces every watcher with one over a new walk of the whole folder,
   * but for the folders made again that an open watcher lists (they wait
   * for it to close). Throws when the folder cannot be walked any more.
   */
  #consolidate(): Change {
    const before = this.#folders;
    const open = this.#watches;
    let stale: string[] = [];
    const walk = () => {
      const all = watchedFolders(this.#root);
      stale = sortFound(all.filter((f) => !before.has(f)), open).stale;
      const waiting = new Set(stale);
      return all.filter((folder) => !waiting.has(folder));
    };
    const whole = this.#open(walk(), walk, true) as Watch;
    this.#watches = [whole];
    this.#folders = new Set(whole.folders);
    const added = [...whole.folders].filter((folder) => !before.has(folder));
    return { added, retired: open, stale };
  }

  /**
   * Watches `sorted.fresh` with one more extra watcher (`add`), or with
   * one replacing the extra ones and watching their folders too (`merge`);
   * `found()` sorts the new folders again if one went meanwhile. Nothing
   * changes when watching fails (the system's limit on watches).
   */
  #extend(
    step: "add" | "merge",
    sorted: FoundFolders,
    found: () => FoundFolders,
  ): Change | undefined {
    const extras = this.#watches.filter((watch) => !watch.whole);
    const theirs = step === "merge"
      ? [...new Set(extras.flatMap((watch) => [...watch.folders]))]
        .filter((folder) => this.#folders.has(folder))
      : [];
    let watch: Watch | undefined;
    try {
      watch = this.#open(
        [...theirs, ...sorted.fresh],
        () => [...theirs.filter(isFolder), ...found().fresh],
        false,
      );
    } catch {
      return undefined;
    }
    const kept = this.#watches.filter((w) => step === "add" || w.whole);
    this.#watches = watch ? [...kept, watch] : kept;
    const folders = watch?.folders ?? [];
    const added = [...folders].filter((folder) => !this.#folders.has(folder));
    for (const folder of added) this.#folders.add(folder);
    const retired = step === "merge" ? extras : [];
    return { added, retired, stale: sorted.stale };
  }

  /** Reports `folders` (newly watched) as changed. */
  #report(folders: readonly string[]): void {
    for (const folder of folders) {
      const relative = relativeTo(this.#roots, folder);
      if (relative !== null) this.#pending.add(relative);
    }
    if (folders.length > 0) this.#settle();
  }

  /** Waits `ms` milliseconds, or until `close()`. */
  #wait(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const end = () => {
        clearTimeout(timer);
        this.#pause = undefined;
        resolve();
      };
      const timer = setTimeout(end, ms);
      this.#pause = { timer, end };
    });
  }

  #closeWatch(watch: Watch): void {
    watch.closing = true;
    try {
      watch.watcher.close();
    } catch {
      // Already closed.
    }
  }

  /** Ends watching for good (subscriptions stay, with no more changes). */
  #stop(): void {
    this.#stopped = true;
    for (const watch of [...this.#watches, ...this.#retiring]) {
      this.#closeWatch(watch);
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
    // A folder that appeared is watched before its making is reported, so
    // a page reloaded by the report hears of what is written in it next;
    // still, the burst is not held past MAX_SETTLE_MS.
    const left = this.#burstStart + MAX_SETTLE_MS - performance.now();
    if (this.#growing && left > 0) {
      this.#held = true;
      this.#timer = setTimeout(() => this.#send(), left);
      return;
    }
    this.#held = false;
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
    this.#pause?.end();
    for (const watch of [...this.#watches, ...this.#retiring]) {
      this.#closeWatch(watch);
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
