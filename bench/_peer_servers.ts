/**
 * The servers the benchmarks compare, started the same way for each: ours
 * (`serve`), nginx as a static-file host, and any command, each pinned to
 * core 0 when the machine allows it.
 *
 * @module
 */
import { freePort, startDaemon } from "../tests/_daemon.ts";
import {
  SERVE_TS,
  type ServerProcess,
  spawnServer,
} from "../tests/http_server/_diff_server.ts";

/** Whether to pin the server to core 0. */
export interface PinOption {
  readonly pin: boolean;
}

/** A running server: its port, its process (and the processes below it). */
export interface Server extends AsyncDisposable {
  readonly port: number;
  readonly pid: number;
  close(): Promise<void>;
}

/**
 * `cmd args` pinned to core 0 with `taskset` when `options.pin` (the load
 * generator runs on core 1), else as they are.
 */
function pinned(
  options: PinOption,
  cmd: string,
  args: string[],
): { cmd: string; args: string[] } {
  return options.pin
    ? { cmd: "taskset", args: ["-c", "0", cmd, ...args] }
    : { cmd, args };
}

function fromProcess(process: ServerProcess): Server {
  return {
    port: process.port,
    pid: process.pid,
    close: () => process.close(),
    [Symbol.asyncDispose]: () => process.close(),
  };
}

/** Starts `cmd args` (pinned as `options` say) and waits for its port. */
export async function startSpawned(
  kind: string,
  cmd: string,
  args: string[],
  env: Record<string, string>,
  options: PinOption,
): Promise<Server> {
  const run = pinned(options, cmd, args);
  return fromProcess(
    await spawnServer(kind, run.cmd, run.args, env, 20_000, false),
  );
}

/** The `deno` arguments that run `serve` on folder `dir` with `flags`. */
export function oursArgs(dir: string, ...flags: string[]): string[] {
  return ["run", "-A", SERVE_TS, "0", "-b", "127.0.0.1", "-d", dir, ...flags];
}

/**
 * nginx with one worker serving `root` as a static-file host is set up:
 * sendfile, autoindex, no access log; `extra` adds directives to the
 * \`http\` block.
 */
const NGINX_CONF = (
  dir: string,
  root: string,
  port: number,
  extra: string,
) => `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log /dev/null;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${root};
    autoindex on;
  }
${extra}}
`;

async function nginxPath(): Promise<string | null> {
  for (const path of ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]) {
    try {
      if ((await Deno.stat(path)).isFile) return path;
    } catch {
      // Not there.
    }
  }
  return null;
}

/**
 * Starts nginx (pinned as `options` say) serving `root`, with `extra`
 * directives in its \`http\` block.
 */
export async function startNginx(
  root: string,
  options: PinOption,
  extra = "",
): Promise<Server> {
  const nginx = await nginxPath();
  if (!nginx) throw new Error("nginx is not installed (apt-get install nginx)");
  const dir = await Deno.makeTempDir({ prefix: "pyport_nginx_" });
  const port = freePort();
  await Deno.writeTextFile(
    `${dir}/nginx.conf`,
    NGINX_CONF(dir, root, port, extra),
  );
  const run = pinned(options, nginx, [
    "-p",
    dir,
    "-c",
    `${dir}/nginx.conf`,
    "-e",
    `${dir}/error.log`,
  ]);
  const daemon = await startDaemon("nginx", run.cmd, run.args, port, dir);
  return {
    port,
    pid: daemon.child.pid,
    close: daemon.close,
    [Symbol.asyncDispose]: daemon.close,
  };
}
