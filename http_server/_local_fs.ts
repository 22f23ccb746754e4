/**
 * Which file systems the file cache may trust: local ones whose change time
 * (ctime) is kept by the kernel on every change. Network file systems (NFS,
 * SMB, 9p, FUSE) may answer `stat` from a client-side attribute cache, so a
 * file changed on the server could look unchanged for seconds; files there
 * are read on every request.
 *
 * Only Linux is checked (from `/proc/self/mountinfo`); elsewhere nothing is
 * trusted yet, so the cache stays inactive.
 *
 * The same list tells the rich and JSON listings where they may `stat` a
 * folder's entries synchronously: on a local file system a `stat` never
 * waits on a server (see `_directory_entries.ts`).
 *
 * @module
 */

/** Local Linux file systems that update ctime on every change. */
const TRUSTED_TYPES: ReadonlySet<string> = new Set([
  "ext2",
  "ext3",
  "ext4",
  "xfs",
  "btrfs",
  "tmpfs",
  "zfs",
  "f2fs",
  "bcachefs",
  "overlay",
]);

const MOUNTINFO = "/proc/self/mountinfo";

/**
 * The file system type of each mounted device in `/proc/self/mountinfo`
 * text, keyed `"major:minor"` (the third field; the type follows the
 * ` - ` separator).
 */
export function parseMountInfo(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const device = fields[2];
    const separator = fields.indexOf("-", 6);
    const type = separator === -1 ? undefined : fields[separator + 1];
    if (device !== undefined && type !== undefined) types.set(device, type);
  }
  return types;
}

/**
 * `stat`'s `dev` as `"major:minor"`, decoded as glibc's `gnu_dev_major` and
 * `gnu_dev_minor` do.
 */
export function deviceNumbers(dev: number): string {
  const d = BigInt(dev);
  const major = ((d >> 8n) & 0xfffn) | ((d >> 32n) & 0xfffff000n);
  const minor = (d & 0xffn) | ((d >> 12n) & 0xffffff00n);
  return `${major}:${minor}`;
}

const verdicts = new Map<number, boolean>();

function readMountInfo(): string | null {
  if (Deno.build.os !== "linux") return null;
  // Never prompt for a permission the program was not started with.
  const read = Deno.permissions.querySync({ name: "read", path: MOUNTINFO });
  if (read.state !== "granted") return null;
  try {
    return Deno.readTextFileSync(MOUNTINFO);
  } catch {
    return null;
  }
}

/**
 * Whether device `dev` (from `stat`) holds a local file system of those
 * listed above, where a `stat` is answered from the kernel's own tables
 * (never waits on a server). Answered once per device; a device missing
 * from the mount table (e.g. a btrfs subvolume that is not itself mounted)
 * is not counted as local.
 */
export function isLocalFileSystem(dev: number): boolean {
  let verdict = verdicts.get(dev);
  if (verdict === undefined) {
    const text = readMountInfo();
    const type = text === null
      ? undefined
      : parseMountInfo(text).get(deviceNumbers(dev));
    verdict = type !== undefined && TRUSTED_TYPES.has(type);
    verdicts.set(dev, verdict);
  }
  return verdict;
}

/**
 * Whether the file system of device `dev` (from `stat`) is one whose ctime
 * the cache may trust: a local one ({@linkcode isLocalFileSystem}).
 */
export function trustsChangeTime(dev: number): boolean {
  return isLocalFileSystem(dev);
}
