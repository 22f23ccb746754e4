/**
 * What a `stat` says about a file's identity and version, and when that can
 * be trusted to reveal the next change: the freshness rule of the file cache.
 *
 * Every change to a file (its bytes, its metadata, a rename over it, a new
 * link) sets its change time (ctime) to the kernel's current time, and nothing
 * can set it back. Deno reports ctime in whole seconds on Linux (and mtime in
 * milliseconds), so two changes within one second can leave the same stamp.
 * A stamp read at a time at least {@linkcode SETTLE_MS} after the file's
 * ctime is "settled": any later change gets a later ctime, so comparing
 * stamps is enough to see it. A file changed more recently than that is not
 * cached and gets no stamp-based validator.
 *
 * @module
 */

/** The parts of a `stat` that change whenever the file does. */
export interface FileStamp {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
}

/**
 * How long after its change time a file's stamp is settled: the coarsest
 * ctime Deno reports (one second) plus a margin for the kernel's coarse
 * clock, which runs up to a tick behind `Date.now()`.
 */
export const SETTLE_MS = 1_100;

/** The stamp of `info`, or `null` where the runtime reports no ino or ctime. */
export function fileStamp(info: Deno.FileInfo): FileStamp | null {
  const { dev, ino, size, mtime, ctime } = info;
  if (ino === null || ctime === null || mtime === null) return null;
  return {
    dev,
    ino,
    size,
    mtimeMs: mtime.getTime(),
    ctimeMs: ctime.getTime(),
  };
}

/** Whether `info` still describes the file `stamp` was taken from, unchanged. */
export function sameStamp(stamp: FileStamp, info: Deno.FileInfo): boolean {
  return stamp.ino === info.ino && stamp.dev === info.dev &&
    stamp.size === info.size &&
    stamp.ctimeMs === (info.ctime?.getTime() ?? NaN) &&
    stamp.mtimeMs === (info.mtime?.getTime() ?? NaN);
}

/**
 * Whether the wall-clock second holding `timeMs` was over at `checkedAt`,
 * by the kernel clock's margin: a date of one-second resolution (a file's
 * `Last-Modified`) sent after that can tell a later change, made in a later
 * second, from the version it dates.
 */
export function secondIsOver(timeMs: number, checkedAt: number): boolean {
  return checkedAt >= Math.floor(timeMs / 1000) * 1000 + SETTLE_MS;
}

/**
 * Whether a stamp of `info` is settled: `checkedAt` (`Date.now()` taken
 * before the `stat` that gave `info`) is at least {@linkcode SETTLE_MS}
 * past its change time. A change time in the future (a clock set back)
 * is never settled.
 */
export function isSettled(info: Deno.FileInfo, checkedAt: number): boolean {
  const ctime = info.ctime?.getTime();
  return ctime !== undefined && checkedAt >= ctime + SETTLE_MS;
}
