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

// CPython 3.13: load_verify_locations(cafile=None, capath=None, cadata=None)
// and create_default_context(purpose=Purpose.SERVER_AUTH, *, cafile=None,
// capath=None, cadata=None). A misspelt or extra argument was ignored, so
// the CA meant to be trusted silently was not.

Deno.test("load_verify_locations: Python's keywords at Python's positions; a bad call refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pyport_ssl_ctx_" });
  try {
    const loose = new SSLContext() as unknown as {
      load_verify_locations(...a: unknown[]): void;
    };
    // capath by keyword after cafile by position, as Python allows.
    loose.load_verify_locations(null, { capath: dir });
    throws(() => loose.load_verify_locations({ ca_file: "x.pem" }), {
      name: "TypeError",
      message:
        "load_verify_locations() got an unexpected keyword argument 'ca_file'",
    });
    throws(() => loose.load_verify_locations(null, dir, null, null), {
      name: "TypeError",
      message: /takes at most 3 optional arguments \(4 given\)/,
    });
    throws(() => loose.load_verify_locations(`${dir}/a`, { cafile: "b" }), {
      name: "TypeError",
      message: /got multiple values for argument 'cafile'/,
    });
    throws(() => loose.load_verify_locations(1), {
      name: "TypeError",
      message: "cafile should be a valid filesystem path",
    });
    throws(() => loose.load_verify_locations({ capath: 1 }), {
      name: "TypeError",
      message: "capath should be a valid filesystem path",
    });
    throws(() => loose.load_verify_locations({ cadata: 1 }), {
      name: "TypeError",
      message: "cadata should be an ASCII string or a bytes-like object",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("create_default_context: the authorities by keyword only, purpose only as null", () => {
  const loose = create_default_context as unknown as (
    ...a: unknown[]
  ) => SSLContext;
  equal(loose(null).caCerts.length, 0);
  equal(loose(null, { capath: "/nonexistent" }).caCerts.length, 0);
  throws(() => loose({ ca_file: "x.pem" }), {
    name: "TypeError",
    message:
      "create_default_context() got an unexpected keyword argument 'ca_file'",
  });
  throws(() => loose(null, null), {
    name: "TypeError",
    message: /takes at most 1 optional arguments \(2 given\)/,
  });
  // Python's Purpose.CLIENT_AUTH makes a server's context: none here.
  throws(() => loose("CLIENT_AUTH"), {
    name: "TypeError",
    message: /purpose must be null.*'CLIENT_AUTH'/,
  });
});

Deno.test("SSLContext: a client's, verify_mode CERT_REQUIRED and only that; the default roots already loaded", () => {
  const ctx = new SSLContext();
  equal(ctx.verify_mode, 2); // ssl.CERT_REQUIRED
  ctx.verify_mode = 2;
  // Python's way to skip verification: refused at once, not ignored (the
  // request would fail on the certificate later, far from the cause).
  ctx.check_hostname = false;
  for (const mode of [0, 1]) {
    throws(() => {
      ctx.verify_mode = mode;
    }, {
      name: "RangeError",
      message: /verify_mode can only be CERT_REQUIRED .*unsafely-ignore/,
    });
  }
  throws(() => {
    ctx.verify_mode = 3;
  }, { name: "RangeError", message: "invalid value for verify_mode" });
  throws(() => {
    (ctx as unknown as { verify_mode: unknown }).verify_mode = "x";
  }, { name: "TypeError" });
  equal(ctx.verify_mode, 2);
  // Python's SSLContext(PROTOCOL_TLS_CLIENT); load_default_certs():
  ctx.load_default_certs();
  ctx.set_default_verify_paths();
  equal(ctx.caCerts.length, 0);
  const loose = SSLContext as unknown as new (...a: unknown[]) => SSLContext;
  equal(new loose(null).check_hostname, true);
  throws(() => new loose(16), {
    name: "TypeError",
    message: /protocol must be null.*not 16/,
  });
  throws(() => ctx.load_default_certs("SERVER_AUTH" as never), {
    name: "TypeError",
    message: /purpose must be null/,
  });
});
