/**
 * The temporary files `urlretrieve` writes when it is given no file name,
 * where Python's `tempfile` puts them: the first usable folder among
 * `TMPDIR`, `TEMP`, `TMP`, the system's own and the current folder (Deno's
 * `makeTempFile` reads `TMPDIR` alone, and fails where it names no usable
 * folder), named `tmp` and eight random characters, created anew with mode
 * 0600.
 *
 * Follows CPython 3.13 `Lib/tempfile.py`, `_candidate_tempdir_list`,
 * `_get_default_tempdir` and `mkstemp`.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { pyRepr } from "../../_util/py_repr.ts";

const NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_";
/** Names tried in one folder before it counts as unusable (Python's number). */
const NAMES_PER_FOLDER = 100;
/** Names tried for the file itself (Python's `TMP_MAX`). */
const TMP_MAX = 10000;

/** The folder found first, kept for the process, as Python's `tempfile.tempdir`. */
let tempdir: string | null = null;

function randomName(): string {
  const picks = crypto.getRandomValues(new Uint8Array(8));
  let name = "";
  for (const pick of picks) {
    name += NAME_CHARACTERS[pick % NAME_CHARACTERS.length];
  }
  return name;
}

/** An environment variable, or `null` where it is unset or may not be read. */
function environment(name: string): string | null {
  try {
    if (
      Deno.permissions.querySync({ name: "env", variable: name }).state !==
        "granted"
    ) {
      return null;
    }
    return Deno.env.get(name) ?? null;
  } catch {
    return null;
  }
}

function candidateFolders(): string[] {
  const folders: string[] = [];
  for (const name of ["TMPDIR", "TEMP", "TMP"]) {
    const value = environment(name);
    if (value) folders.push(value);
  }
  if (Deno.build.os === "windows") {
    const home = environment("USERPROFILE");
    const root = environment("SYSTEMROOT");
    if (home) folders.push(join(home, "AppData", "Local", "Temp"));
    if (root) folders.push(join(root, "Temp"));
    folders.push("c:\\temp", "c:\\tmp", "\\temp", "\\tmp");
  } else {
    folders.push("/tmp", "/var/tmp", "/usr/tmp");
  }
  try {
    folders.push(Deno.cwd());
  } catch {
    folders.push(".");
  }
  return folders;
}

/** Whether a file can be made and written in `folder` (it is removed again). */
async function usable(folder: string): Promise<boolean> {
  for (let attempt = 0; attempt < NAMES_PER_FOLDER; attempt++) {
    const path = join(folder, randomName());
    try {
      await Deno.writeFile(path, new TextEncoder().encode("blat"), {
        createNew: true,
        mode: 0o600,
      });
      await Deno.remove(path);
      return true;
    } catch (error) {
      // Deno's own permission refused is no property of the folder.
      if (error instanceof Deno.errors.NotCapable) throw error;
      if (!(error instanceof Deno.errors.AlreadyExists)) return false;
    }
  }
  return false;
}

/** Python's `tempfile.gettempdir()`: the first usable candidate folder. */
async function gettempdir(): Promise<string> {
  if (tempdir !== null) return tempdir;
  const folders = candidateFolders();
  for (const folder of folders) {
    const path = folder === "." ? folder : resolve(folder);
    if (await usable(path)) return tempdir = path;
  }
  const error = new Deno.errors.NotFound(
    `[Errno 2] No usable temporary directory found in ${pyRepr(folders)}`,
  );
  Object.assign(error, {
    errno: 2,
    strerror: `No usable temporary directory found in ${pyRepr(folders)}`,
  });
  throw error;
}

/**
 * Creates a new temporary file, as Python's `NamedTemporaryFile(delete=
 * False)` does for `urlretrieve`, and returns its path and the file, open
 * for writing.
 */
export async function makeTempFile(): Promise<[string, Deno.FsFile]> {
  const folder = await gettempdir();
  for (let attempt = 0;; attempt++) {
    const path = join(folder, `tmp${randomName()}`);
    try {
      const file = await Deno.open(path, {
        createNew: true,
        write: true,
        mode: 0o600,
      });
      return [path, file];
    } catch (error) {
      if (
        !(error instanceof Deno.errors.AlreadyExists) || attempt >= TMP_MAX
      ) {
        throw error;
      }
    }
  }
}
