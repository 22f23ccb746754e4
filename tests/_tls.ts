/**
 * Test certificates, made with `openssl` at test time: the one place tests
 * run it. A throwaway certificate authority signs a server certificate for
 * 127.0.0.1 / localhost; a key can be encrypted with a password.
 *
 * Tests that need these are skipped at test level where `openssl` is
 * missing: `Deno.test({ ignore: !haveOpenssl, ... })`.
 *
 * @module
 */

import { haveCommand } from "./_command.ts";

/** PEM texts of the test CA and the server's certificate and key. */
export interface TestCerts {
  ca: string;
  cert: string;
  key: string;
}

/** Whether `openssl` runs here. */
export const haveOpenssl: boolean = haveCommand("openssl", ["version"]);

/** Runs `openssl` with `args` in `cwd`; a failure throws with its stderr. */
export async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", {
    args,
    cwd,
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  if (!out.success) {
    throw new Error(
      `openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

const EC_KEY = [
  "-newkey",
  "ec",
  "-pkeyopt",
  "ec_paramgen_curve:prime256v1",
  "-nodes",
];

/**
 * Makes a CA and a server certificate it signs, naming `subjectAltName`
 * (by default 127.0.0.1 and localhost).
 */
export async function makeCerts(
  subjectAltName = "DNS:localhost,IP:127.0.0.1",
): Promise<TestCerts> {
  const dir = await Deno.makeTempDir({ prefix: "pyport_certs_" });
  try {
    await openssl([
      "req",
      "-x509",
      ...EC_KEY,
      "-keyout",
      "ca.key",
      "-out",
      "ca.pem",
      "-days",
      "2",
      "-subj",
      "/CN=pyport test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ], dir);
    await openssl([
      "req",
      ...EC_KEY,
      "-keyout",
      "server.key",
      "-out",
      "server.csr",
      "-subj",
      "/CN=localhost",
    ], dir);
    await Deno.writeTextFile(
      `${dir}/ext.cnf`,
      `subjectAltName=${subjectAltName}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
    );
    await openssl([
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-out",
      "server.pem",
      "-days",
      "2",
      "-extfile",
      "ext.cnf",
    ], dir);
    return {
      ca: await Deno.readTextFile(`${dir}/ca.pem`),
      cert: await Deno.readTextFile(`${dir}/server.pem`),
      key: await Deno.readTextFile(`${dir}/server.key`),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** `key` (PEM) encrypted with AES-256 under `password`, as PEM. */
export async function encryptKey(
  key: string,
  password: string,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pyport_key_" });
  try {
    await Deno.writeTextFile(`${dir}/key.pem`, key);
    await openssl([
      "pkey",
      "-in",
      "key.pem",
      "-aes256",
      "-passout",
      `pass:${password}`,
      "-out",
      "enc.pem",
    ], dir);
    return await Deno.readTextFile(`${dir}/enc.pem`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
