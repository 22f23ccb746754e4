/**
 * Builds the folder tree the server tests serve: many file types, awkward
 * names, index pages, empty and nested folders, and symlinks that stay inside
 * or leave the served root. A secret file sits beside the root; no request
 * may ever read it.
 *
 * @module
 */

/** What {@linkcode buildTree} made. */
export interface Tree extends AsyncDisposable {
  /** The temp folder holding the root and the secret. */
  parent: string;
  /** The folder to serve. */
  root: string;
  /** Content of the secret file beside the root (a unique marker). */
  secret: string;
  /** Name of a folder beside the root: a listing of the parent would show it. */
  outsideDirName: string;
  /** Files under the root (relative, `/`-separated), symlinks excluded. */
  files: string[];
  /** Folders under the root (relative, no trailing slash), symlinks excluded. */
  dirs: string[];
  /** Symlinks under the root, and whether each leaves the root. */
  links: { path: string; outside: boolean; isDir: boolean }[];
  /** Removes everything. */
  remove(): Promise<void>;
}

/** Files with these names are created at the root, each with distinct content. */
export const FILE_NAMES: readonly string[] = [
  "page.html",
  "old.htm",
  "notes.txt",
  "style.css",
  "app.js",
  "module.mjs",
  "data.json",
  "icon.svg",
  "image.png",
  "prog.wasm",
  "feed.xml",
  "doc.pdf",
  "blob.gz",
  "archive.tar.gz",
  "README",
  "thing.unknownext",
  "UPPER.TXT",
  "hello world.txt",
  "amp&lt<gt>'q\".txt",
  "100%.txt",
  "50%25.txt",
  "hash#tag.txt",
  "semi;colon=eq,comma+plus.txt",
  "caf\u00e9.txt",
  "\u65e5\u672c.txt",
  ".hidden",
  ".env",
  "<img src=x onerror=alert(1)>.txt",
  '"><script>alert(1)<.txt',
  "tab\there.txt",
  "trailing space .txt",
];

/** Fixed mtime so Last-Modified is stable across servers and runs. */
export const MTIME: Date = new Date("2024-03-05T06:07:08Z");

const encoder = new TextEncoder();

async function writeFile(root: string, rel: string, text: string) {
  const path = `${root}/${rel}`;
  await Deno.writeFile(path, encoder.encode(text));
  await Deno.utime(path, MTIME, MTIME);
}

/** Builds a fresh tree in a temp folder. */
export async function buildTree(): Promise<Tree> {
  const parent = await Deno.makeTempDir({ prefix: "pyport_http_tree_" });
  const root = `${parent}/served`;
  const secret = `SECRET-${crypto.randomUUID()}`;
  const outsideDirName = `outside-only-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.mkdir(root);
  await Deno.mkdir(`${parent}/${outsideDirName}`);
  await Deno.writeTextFile(`${parent}/secret.txt`, secret + "\n");
  await Deno.writeTextFile(
    `${parent}/${outsideDirName}/also-secret.txt`,
    secret + "\n",
  );

  const files: string[] = [];
  const dirs: string[] = [];
  const add = async (rel: string, text: string) => {
    await writeFile(root, rel, text);
    files.push(rel);
  };
  for (const [i, name] of FILE_NAMES.entries()) {
    await add(name, `content #${i} of ${name}\n`.repeat(i + 1));
  }
  // A body larger than one read chunk, so streaming code paths are used.
  await add("big.bin", "0123456789abcdef".repeat(64 * 1024 + 3));

  const mkdir = async (rel: string) => {
    await Deno.mkdir(`${root}/${rel}`, { recursive: true });
    dirs.push(rel);
  };
  await mkdir("empty");
  await mkdir("nested");
  await mkdir("nested/deeper");
  await mkdir("nested/deeper/deepest");
  await add("nested/deeper/deepest/leaf.txt", "leaf\n");
  await add("nested/inner file.txt", "inner\n");
  await mkdir("with_html");
  await add("with_html/index.html", "<p>index.html only</p>\n");
  await add("with_html/other.txt", "other\n");
  await mkdir("with_htm");
  await add("with_htm/index.htm", "<p>index.htm only</p>\n");
  await mkdir("with_both");
  await add("with_both/index.html", "<p>both: html wins</p>\n");
  await add("with_both/index.htm", "<p>both: htm loses</p>\n");
  await mkdir("space dir");
  await add("space dir/a b.txt", "a b\n");
  await mkdir("caf\u00e9 dir");
  await add("caf\u00e9 dir/\u65e5\u672c.txt", "nihon\n");
  await mkdir(".dotdir");
  await add(".dotdir/inside.txt", "dot\n");
  await mkdir("evil.com");
  await add("evil.com/x.txt", "not a host\n");
  await mkdir("pct%2fdir");
  await add("pct%2fdir/f.txt", "literal percent name\n");

  const links: Tree["links"] = [];
  const link = async (
    rel: string,
    target: string,
    outside: boolean,
    isDir: boolean,
  ) => {
    await Deno.symlink(target, `${root}/${rel}`);
    links.push({ path: rel, outside, isDir });
  };
  await link("link_inside.txt", "notes.txt", false, false);
  await link("link_inside_dir", "nested", false, true);
  await link("link_outside.txt", "../secret.txt", true, false);
  await link("link_outside_abs.txt", `${parent}/secret.txt`, true, false);
  await link("link_outside_dir", "..", true, true);
  await link("nested/link_up_out", "../../secret.txt", true, false);

  for (const d of ["", ...dirs]) {
    await Deno.utime(`${root}/${d}`, MTIME, MTIME);
  }

  const remove = () => Deno.remove(parent, { recursive: true });
  return {
    parent,
    root,
    secret,
    outsideDirName,
    files,
    dirs,
    links,
    remove,
    [Symbol.asyncDispose]: remove,
  };
}

/** Percent-encodes a relative path the way a browser would put it in a URL. */
export function urlPath(rel: string): string {
  return "/" + rel.split("/").map((s) => encodeURIComponent(s)).join("/");
}
