/**
 * `Accept` and `Accept-Encoding` negotiation (RFC 9110 §12.5): quality
 * lists parsed once, then the best of what the server can offer.
 *
 * @module
 */

/** One member of a quality list: a lower-cased token and its `q`. */
interface Weighted {
  readonly token: string;
  readonly q: number;
}

/** Parses `a;q=0.5, b` into tokens (lower-cased) and qualities (default 1). */
function qualityList(header: string): Weighted[] {
  const out: Weighted[] = [];
  for (const member of header.split(",")) {
    const [head = "", ...params] = member.split(";");
    const token = head.trim().toLowerCase();
    if (token === "") continue;
    let q = 1;
    for (const param of params) {
      const [name = "", value = ""] = param.split("=");
      if (name.trim().toLowerCase() !== "q") continue;
      const parsed = Number(value.trim());
      q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 0;
    }
    out.push({ token, q });
  }
  return out;
}

/**
 * The quality `accept` gives media type `type`: the most specific matching
 * range wins (`text/html` over `text/*` over `*\/*`); 0 when none matches.
 */
function mediaQuality(list: readonly Weighted[], type: string): number {
  const major = type.slice(0, type.indexOf("/"));
  let best = -1;
  let q = 0;
  for (const { token, q: weight } of list) {
    const rank = token === type
      ? 2
      : token === `${major}/*`
      ? 1
      : token === "*/*"
      ? 0
      : -1;
    if (rank > best) {
      best = rank;
      q = weight;
    }
  }
  return q;
}

/**
 * The member of `offers` (media types, best first on a tie) that `accept`
 * prefers; the first offer when the client sent no `Accept`.
 */
export function preferredMediaType<T extends string>(
  accept: string | null,
  offers: readonly [T, ...T[]],
): T {
  if (accept === null) return offers[0];
  const list = qualityList(accept);
  let chosen = offers[0];
  let best = mediaQuality(list, chosen);
  for (const offer of offers.slice(1)) {
    const q = mediaQuality(list, offer);
    if (q > best) {
      best = q;
      chosen = offer;
    }
  }
  return chosen;
}

/**
 * Whether `accept` names media type `type` itself (not through a wildcard)
 * with a non-zero quality: what a browser sends when it navigates to a page.
 */
export function namesMediaType(accept: string | null, type: string): boolean {
  if (accept === null) return false;
  return qualityList(accept).some((m) => m.token === type && m.q > 0);
}

/**
 * The codings of `offers` that `acceptEncoding` allows, the client's
 * favourite first (ties keep the order of `offers`), leaving out those it
 * likes less than an `identity` it names; empty when it sent none (send
 * the identity coding).
 */
export function acceptedEncodings<T extends string>(
  acceptEncoding: string | null,
  offers: readonly T[],
): T[] {
  if (acceptEncoding === null) return [];
  // RFC 9110 §8.4.1.3: x-gzip is to be taken as gzip.
  const list = qualityList(acceptEncoding).map((m) =>
    m.token === "x-gzip" ? { ...m, token: "gzip" } : m
  );
  const star = list.find((m) => m.token === "*")?.q ?? 0;
  // A coding the client likes less than the identity it names
  // (`gzip;q=0.5, identity`) is not worth sending: it asked for the bytes.
  const identity = list.find((m) => m.token === "identity")?.q ?? 0;
  return offers
    .map((offer) => ({
      offer,
      q: list.find((m) => m.token === offer)?.q ?? star,
    }))
    .filter(({ q }) => q > 0 && q >= identity)
    .sort((a, b) => b.q - a.q)
    .map(({ offer }) => offer);
}
