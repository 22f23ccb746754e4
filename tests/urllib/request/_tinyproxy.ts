/**
 * Starts Debian's `tinyproxy` as a real forward proxy on 127.0.0.1 for one
 * test, with a generated configuration (optionally requiring Basic auth),
 * and stops it afterwards.
 *
 * @module
 */

/** A running proxy. */
export interface Proxy extends AsyncDisposable {
  url: string;
  port: number;
  /** The proxy's log so far (connections it handled). */
  log(): Promise<string>;
  close(): Promise<void>;
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function waitForPort(
  port: number,
  child: Deno.ChildProcess,
): Promise<void> {
  const deadline = Date.now() + 5000;
  let exited = false;
  child.status.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error("tinyproxy did not start listening");
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
  const child = new Deno.Command("tinyproxy", {
    args: ["-d", "-c", `${dir}/proxy.conf`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await waitForPort(port, child);
  } catch (err) {
    await close();
    throw err;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log: () => Deno.readTextFile(`${dir}/proxy.log`).catch(() => ""),
    close,
    [Symbol.asyncDispose]: close,
  };
}
