/**
 * A self-signed certificate made at startup (`--tls-self-signed`): an
 * ECDSA P-256 key from WebCrypto and an X.509 certificate from
 * `@peculiar/x509`, for localhost, its loopback addresses and this
 * machine's names and addresses. Held in memory only.
 *
 * @module
 */
import { latin1Decode } from "../_util/latin1.ts";
import type { TLSOptions } from "./server.ts";

/** How long the certificate is valid: a server is rarely up longer. */
const VALID_DAYS = 30;
const ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

/** A certificate and key as PEM text, and the certificate's fingerprint. */
export interface SelfSigned extends TLSOptions {
  /** SHA-256 of the certificate (DER), as colon-separated hex pairs. */
  readonly fingerprint: string;
  /** The DNS names and IP addresses it is valid for. */
  readonly names: readonly string[];
}

function pem(label: string, der: ArrayBuffer): string {
  const lines = btoa(latin1Decode(new Uint8Array(der))).match(/.{1,64}/g) ??
    [];
  return `-----BEGIN ${label}-----\n${
    lines.join("\n")
  }\n-----END ${label}-----\n`;
}

/** This machine's host name and non-loopback addresses, where readable. */
function machineNames(): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  try {
    const host = Deno.hostname();
    if (/^[A-Za-z0-9.-]+$/.test(host) && host !== "localhost") dns.push(host);
  } catch {
    // No permission or no name: localhost still works.
  }
  try {
    for (const iface of Deno.networkInterfaces()) {
      const address = iface.address.replace(/%.*$/, "");
      if (!ip.includes(address)) ip.push(address);
    }
  } catch {
    // No permission: loopback addresses still work.
  }
  return { dns, ip };
}

/** Makes a fresh key pair and self-signed certificate. */
export async function makeSelfSigned(): Promise<SelfSigned> {
  // @peculiar/x509 needs the Reflect metadata polyfill; both are loaded
  // only when a certificate is asked for.
  await import("reflect-metadata");
  const x509 = await import("@peculiar/x509");
  x509.cryptoProvider.set(crypto);
  const keys = await crypto.subtle.generateKey(ALGORITHM, true, [
    "sign",
    "verify",
  ]);
  const found = machineNames();
  const dns = ["localhost", ...found.dns];
  const ip = [
    "127.0.0.1",
    "::1",
    ...found.ip.filter((a) => a !== "127.0.0.1" && a !== "::1"),
  ];
  const now = Date.now();
  const serial = new Uint8Array(16);
  crypto.getRandomValues(serial);
  serial[0] = (serial[0] as number) & 0x7f; // a positive INTEGER
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Array.from(serial, (b) => b.toString(16).padStart(2, "0"))
      .join(""),
    name: "CN=localhost, O=pyport serve (self-signed)",
    notBefore: new Date(now - 60 * 60 * 1000),
    notAfter: new Date(now + VALID_DAYS * 24 * 60 * 60 * 1000),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dns.map((value) => ({ type: "dns" as const, value })),
        ...ip.map((value) => ({ type: "ip" as const, value })),
      ]),
    ],
  });
  const digest = new Uint8Array(await cert.getThumbprint("SHA-256"));
  const fingerprint = Array.from(
    digest,
    (b) => b.toString(16).toUpperCase().padStart(2, "0"),
  ).join(":");
  const key = await crypto.subtle.exportKey("pkcs8", keys.privateKey);
  return {
    cert: cert.toString("pem") + "\n",
    key: pem("PRIVATE KEY", key),
    fingerprint,
    names: [...dns, ...ip],
  };
}
