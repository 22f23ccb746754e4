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

/** Eight characters drawn evenly from Python's 37 (as `random.choice`). */
function randomName(): string {
  // 37 * 6 = 222: bytes above that are drawn again, so none is favoured.
  const limit = NAME_CHARACTERS.length * 6;
  let name = "";
  while (name.length < 8) {
    for (const pick of crypto.getRandomValues(new Uint8Array(8))) {
      if (pick < limit && name.length < 8) {
        name += NAME_CHARACTERS[pick % NAME_CHARACTERS.length];
      }
    }
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

/** The first candidate folder Deno's write permission did not cover. */
let refused: string | null = null;

/**
 * Whether a file can be made and written in `folder` (it is removed again,
 * written or not). A folder Deno's permissions keep this program out of is
 * as unusable as one the system refuses (and remembered, to say so).
 */
async function usable(folder: string): Promise<boolean> {
  for (let attempt = 0; attempt < NAMES_PER_FOLDER; attempt++) {
    const path = join(folder, randomName());
    let file: Deno.FsFile;
    try {
      file = await Deno.open(path, {
        createNew: true,
        write: true,
        mode: 0o600,
      });
    } catch (error) {
      if (error instanceof Deno.errors.AlreadyExists) continue;
      if (error instanceof Deno.errors.NotCapable) refused ??= folder;
      return false;
    }
    try {
      await file.write(new TextEncoder().encode("blat"));
      return true;
    } catch {
      return false;
    } finally {
      file.close();
      await Deno.remove(path).catch(() => {});
    }
  }
  return false;
}

/**
 * Python's `tempfile.gettempdir()`: the first usable candidate folder;
 * `null` where none is, but Deno's own temporary folder may still be (its
 * `TMPDIR` is read without env permission, and write permission may be
 * granted for that folder alone).
 */
async function gettempdir(): Promise<string | null> {
  if (tempdir !== null) return tempdir;
  const folders = candidateFolders();
  for (const folder of folders) {
    const path = folder === "." ? folder : resolve(folder);
    if (await usable(path)) return tempdir = path;
  }
  return null;
}

/**
 * Python's error where no candidate folder is usable, saying which
 * permission would give one where Deno's kept this program out.
 */
function noTempdir(): Error {
  const folders = candidateFolders();
  const strerror = `No usable temporary directory found in ${pyRepr(folders)}${
    refused === null
      ? ""
      : `: Deno needs write permission for one (run with --allow-write=${refused})`
  }`;
  const error = new Deno.errors.NotFound(`[Errno 2] ${strerror}`);
  Object.assign(error, { errno: 2, strerror });
  return error;
}

/**
 * Creates a new temporary file, as Python's `NamedTemporaryFile(delete=
 * False)` does for `urlretrieve`, and returns its path and the file, open
 * for writing.
 */
export async function makeTempFile(): Promise<[string, Deno.FsFile]> {
  const folder = await gettempdir();
  if (folder === null) {
    let path: string;
    try {
      path = await Deno.makeTempFile({ prefix: "tmp" });
    } catch {
      throw noTempdir();
    }
    return [path, await Deno.open(path, { write: true })];
  }
  for (let attempt = 1;; attempt++) {
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
