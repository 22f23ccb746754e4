/**
 * Starts Debian's `tinyproxy` as a real forward proxy on 127.0.0.1 for one
 * test, with a generated configuration (optionally requiring Basic auth),
 * and stops it afterwards.
 *
 * @module
 */
import { freePort, startDaemon } from "../../_daemon.ts";

/** A running proxy. */
export interface Proxy extends AsyncDisposable {
  url: string;
  port: number;
  /** The proxy's log so far (connections it handled). */
  log(): Promise<string>;
  close(): Promise<void>;
}

/** Whether the tinyproxy binary is installed. */
export function haveTinyproxy(): boolean {
  for (const dir of ["/usr/bin", "/usr/sbin", "/usr/local/bin"]) {
    try {
      Deno.statSync(`${dir}/tinyproxy`);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

/**
 * Starts tinyproxy; `auth` makes it demand `Proxy-Authorization: Basic`.
 * The port is picked free, then handed to tinyproxy's configuration: a
 * test file running in parallel may take it in between, so a start that
 * fails is retried on another port.
 */
export async function startTinyproxy(
  auth?: { user: string; password: string },
): Promise<Proxy> {
  for (let attempt = 1;; attempt++) {
    try {
      return await startOn(freePort(), auth);
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

async function startOn(
  port: number,
  auth?: { user: string; password: string },
): Promise<Proxy> {
  const dir = await Deno.makeTempDir();
  const lines = [
    `Port ${port}`,
    "Listen 127.0.0.1",
    "Timeout 10",
    "MaxClients 16",
    "Allow 127.0.0.1",
    "LogLevel Connect",
    `LogFile "${dir}/proxy.log"`,
    "DisableViaHeader Yes",
  ];
  if (auth) lines.push(`BasicAuth ${auth.user} ${auth.password}`);
  if (Deno.uid() === 0) lines.push("User nobody", "Group nogroup");
  await Deno.writeTextFile(`${dir}/proxy.conf`, lines.join("\n") + "\n");
  await Deno.chmod(dir, 0o777);
  const { close } = await startDaemon(
    "tinyproxy",
    "tinyproxy",
    ["-d", "-c", `${dir}/proxy.conf`],
    port,
    dir,
  );
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log: () => Deno.readTextFile(`${dir}/proxy.log`).catch(() => ""),
    close,
    [Symbol.asyncDispose]: close,
  };
}
