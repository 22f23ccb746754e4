import { equal, ok, throws } from "node:assert/strict";
import {
  create_default_context,
  HTTPHandler,
  HTTPSHandler,
  SSLContext,
} from "../../../urllib/request/mod.ts";

// CPython 3.13: a cafile OpenSSL cannot open is an OSError worded without a
// file name, and a capath is looked in only when a chain asks, so a missing
// one (or a file) is accepted and simply holds no authority.

Deno.test("cafile that cannot be read: Python's OSError, no file name", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pyport_ssl_ctx_" });
  try {
    const cases: [string, typeof Deno.errors.NotFound, string, number][] = [
      [
        `${dir}/missing.pem`,
        Deno.errors.NotFound,
        "No such file or directory",
        2,
      ],
      [dir, Deno.errors.IsADirectory, "Is a directory", 21],
    ];
    for (const [cafile, kind, strerror, errno] of cases) {
      throws(
        () => create_default_context({ cafile }),
        (e: unknown) => {
          ok(e instanceof kind, String(e));
          equal(e.message, `[Errno ${errno}] ${strerror}`);
          const fields = e as unknown as Record<string, unknown>;
          equal(fields.errno, errno);
          equal(fields.strerror, strerror);
          equal(fields.filename, null);
          return true;
        },
      );
    }
    throws(
      () => new SSLContext().load_verify_locations(""),
      (e: unknown) => {
        ok(e instanceof Deno.errors.NotFound, String(e));
        equal(e.message, "[Errno 2] No such file or directory");
        return true;
      },
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("capath that is missing or a file: accepted, no authority", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pyport_ssl_ctx_" });
  try {
    await Deno.writeTextFile(`${dir}/file.pem`, "not a folder");
    for (const capath of [`${dir}/missing`, `${dir}/file.pem`]) {
      equal(create_default_context({ capath }).caCerts.length, 0);
      const ctx = new SSLContext();
      ctx.load_verify_locations(null, capath);
      equal(ctx.caCerts.length, 0);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("HTTPSHandler(debuglevel=None, context=None, check_hostname=None): any mix of positions and keywords, nothing else", () => {
  const context = new SSLContext();
  // Python: HTTPSHandler(0, check_hostname=False) and HTTPSHandler(0, context)
  const lax = new HTTPSHandler(0, { check_hostname: false });
  equal(lax.context?.check_hostname, false);
  equal(new HTTPSHandler(0, context).context, context);
  equal(
    new HTTPSHandler(0, context, { check_hostname: false }).context,
    context,
  );
  equal(context.check_hostname, false);
  const loose = HTTPSHandler as unknown as new (...a: unknown[]) => object;
  // A misspelt keyword would leave the default trust in place unnoticed.
  throws(() => new loose({ contxt: context }), {
    name: "TypeError",
    message: /HTTPSHandler\(\) got an unexpected keyword argument 'contxt'/,
  });
  throws(() => new loose(0, null, null, 1), {
    name: "TypeError",
    message: /HTTPSHandler\(\) takes at most 3 optional arguments/,
  });
  const plain = HTTPHandler as unknown as new (...a: unknown[]) => object;
  throws(() => new plain({ debug_level: 1 }), {
    name: "TypeError",
    message: /HTTPHandler\(\) got an unexpected keyword argument 'debug_level'/,
  });
});
