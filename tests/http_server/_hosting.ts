/**
 * Shared setup of the hosting-flag tests: a served folder with a sibling
 * folder outside it, and `serve` started on it with flags.
 *
 * @module
 */
import { ServeProcess } from "../_server.ts";

/** A temporary served folder (`root`) beside a folder it must not reach. */
export interface Site extends AsyncDisposable {
  /** The served folder. */
  readonly root: string;
  /** A folder next to `root`, outside what is served. */
  readonly outside: string;
}

/** Makes `parent/site` (served) and `parent/outside`; `files` go in `site`. */
export async function makeSite(
  files: Record<string, string | Uint8Array> = {},
): Promise<Site> {
  const parent = await Deno.makeTempDir({ prefix: "pyport_hosting_" });
  const root = `${parent}/site`;
  const outside = `${parent}/outside`;
  await Deno.mkdir(root);
  await Deno.mkdir(outside);
  for (const [name, content] of Object.entries(files)) {
    const path = `${root}/${name}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
  }
  return {
    root,
    outside,
    async [Symbol.asyncDispose]() {
      await Deno.remove(parent, { recursive: true });
    },
  };
}

/** A running `serve` on 127.0.0.1 and a free port (or the one asked for). */
export interface Served extends AsyncDisposable {
  readonly process: ServeProcess;
  readonly port: number;
  /** `http(s)://127.0.0.1:PORT` + `path`. */
  url(path: string): string;
}

/** Where and how to start `serve`. */
export interface ServeSettings {
  /** `http` (default) or `https`, for `url()`. */
  scheme?: string;
  /** The working directory of the process. */
  cwd?: string;
  /** The port to listen on (default: a free one). */
  port?: number;
}

/** Starts `serve` on `root` with `flags` and waits for its startup line. */
export async function serve(
  root: string,
  flags: string[],
  settings: ServeSettings = {},
): Promise<Served> {
  const scheme = settings.scheme ?? "http";
  const process = new ServeProcess(
    [String(settings.port ?? 0), "-b", "127.0.0.1", "-d", root, ...flags],
    settings.cwd === undefined ? {} : { cwd: settings.cwd },
  );
  let port: number;
  try {
    port = await process.started();
  } catch (error) {
    await process[Symbol.asyncDispose]();
    throw error;
  }
  return {
    process,
    port,
    url: (path) => `${scheme}://127.0.0.1:${port}${path}`,
    [Symbol.asyncDispose]: () => process[Symbol.asyncDispose](),
  };
}

/** `fetch` with a deadline, so a hung server fails the test quickly. */
export function get(
  url: string,
  init: RequestInit & { client?: Deno.HttpClient } = {},
): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(10_000), ...init });
}

/** Reads the body as text (so no response is left unread). */
export async function fetchText(
  url: string,
  init: RequestInit & { client?: Deno.HttpClient } = {},
): Promise<{ res: Response; text: string }> {
  const res = await get(url, init);
  return { res, text: await res.text() };
}

/** Lists every file below `dir` (relative paths, sorted). */
export async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(path: string, prefix: string): Promise<void> {
    for await (const entry of Deno.readDir(path)) {
      const rel = prefix + entry.name;
      if (entry.isDirectory) await walk(`${path}/${entry.name}`, rel + "/");
      else out.push(rel);
    }
  }
  await walk(dir, "");
  return out.sort();
}

/** Polls `test` every 20 ms until it holds or `ms` pass. */
export async function eventually(
  test: () => boolean | Promise<boolean>,
  what: string,
  ms = 5000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
