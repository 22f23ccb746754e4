/**
 * Work that requests arriving together share: the first starts it, the
 * others that come before it ends wait for the same result instead of each
 * doing it again. A listing of a folder with 100,000 names takes the better
 * part of a second and tens of MiB to build; eight browsers opening it at
 * once would otherwise hold eight copies.
 *
 * Nothing is kept once the work ends (that is the file cache's job), and a
 * result is shared only under the same key and the same settled stamp (see
 * `_file_stamp.ts`): a request whose stat shows its folder changed since the
 * work began starts its own.
 *
 * Work whose result may not be shared (the rich and JSON listings, whose
 * sizes and dates must be read after each request arrived) takes turns
 * instead ({@linkcode OneAtATime}): requests for the same folder build one
 * after the other, so that eight of them hold one build's working set
 * rather than eight.
 *
 * Not in CPython, whose listing is built anew for every request, each
 * request on its own thread.
 *
 * @module
 */
import type { FileStamp } from "./_file_stamp.ts";

function stampKey(stamp: FileStamp): string {
  const { dev, ino, size, mtimeMs, ctimeMs } = stamp;
  return `${dev}:${ino}:${size}:${mtimeMs}:${ctimeMs}`;
}

/** Results of `T` being worked out now, by key and stamp. */
export class SharedBuilds<T> {
  readonly #running = new Map<string, Promise<T>>();

  /**
   * The result of `build()`, or of the one already running for `key` under
   * the same `stamp`. A failure reaches every request that shared it.
   */
  run(key: string, stamp: FileStamp, build: () => Promise<T>): Promise<T> {
    const fullKey = `${stampKey(stamp)}\0${key}`;
    const running = this.#running.get(fullKey);
    if (running !== undefined) return running;
    const result = build();
    this.#running.set(fullKey, result);
    const forget = () => this.#running.delete(fullKey);
    result.then(forget, forget);
    return result;
  }
}

/** Work run one at a time per key, in the order asked. */
export class OneAtATime {
  /** Per key, what the work last asked for ends with. */
  readonly #last = new Map<string, Promise<void>>();

  /**
   * The result of `work()`, started once every work asked before for `key`
   * has ended (however it ended).
   */
  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#last.get(key);
    const { promise: ended, resolve } = Promise.withResolvers<void>();
    this.#last.set(key, ended);
    try {
      await before;
      return await work();
    } finally {
      resolve();
      if (this.#last.get(key) === ended) this.#last.delete(key);
    }
  }
}
