/**
 * The page side of live reload: the script added to HTML pages and where it
 * goes. The script listens to the server's event stream and reloads the
 * page on a `change` event, or when the stream names a version of the folder
 * other than the one the page was served with (a change it missed, or a
 * server started again).
 *
 * @module
 */
import { htmlEscape } from "./_text.ts";

/** The path of the event stream pages listen to. */
export const LIVE_RELOAD_PATH = "/__serve/live-reload";

/**
 * The path of the script that listens, loaded from the page's own origin
 * (not written inline) so that a page whose Content-Security-Policy lets
 * scripts and connections come from `'self'` still reloads.
 */
export const LIVE_RELOAD_SCRIPT_PATH = `${LIVE_RELOAD_PATH}.js`;

// One tab of the site listens and tells the others (BroadcastChannel),
// elected by a Web Lock: a browser holds at most six HTTP/1.1 connections
// to a site, and a seventh tab each holding a stream would never load.
// Where Web Locks are missing (outside a secure context: http:// to a LAN
// address) each tab listens itself. A page kept for the back button lets
// its stream and its turn go, and reloads when it is shown again. While
// every tab reloads nobody listens, so each page carries the version of the
// folder it was served with: the stream's first event names the current
// one, and a page served before the last change (or by a server since
// restarted) reloads. A tab whose script starts later asks the listening
// tab. Names, not clocks: a page reloads once per change. The page's version
// is in the data-version attribute of the tag that loads the script.
const SCRIPT = `((version) => {
  const path = ${JSON.stringify(LIVE_RELOAD_PATH)};
  const tabs = self.BroadcastChannel && navigator.locks
    ? new BroadcastChannel(path)
    : null;
  const turn = new AbortController();
  let current = null;
  let events = null;
  let leave = null;
  const reload = () => { tabs?.postMessage("reload"); location.reload(); };
  const reloadIfStale = (latest) => {
    if (version !== null && latest !== version) location.reload();
  };
  const listen = () => {
    events = new EventSource(path);
    events.addEventListener("change", reload);
    events.addEventListener("hello", (e) => {
      current = e.data;
      tabs?.postMessage({ version: current });
      reloadIfStale(current);
    });
  };
  if (tabs) {
    tabs.onmessage = (e) => {
      if (e.data === "reload") location.reload();
      else if (e.data === "version?") {
        if (current !== null) tabs.postMessage({ version: current });
      } else if (typeof e.data?.version === "string") {
        reloadIfStale(e.data.version);
      }
    };
    tabs.postMessage("version?");
    navigator.locks.request(path, { signal: turn.signal }, () => {
      listen();
      return new Promise((resolve) => leave = resolve);
    }).catch(() => {});
  } else listen();
  addEventListener("pagehide", () => {
    events?.close();
    leave?.();
    turn.abort();
  });
  addEventListener("pageshow", (e) => { if (e.persisted) location.reload(); });
})(document.currentScript?.dataset.version ?? null);
`;
const encoder = new TextEncoder();

/** The script served at {@linkcode LIVE_RELOAD_SCRIPT_PATH}. */
export const LIVE_RELOAD_SCRIPT: Uint8Array = encoder.encode(SCRIPT);

// One byte per character, so string offsets are byte offsets.
const latin1 = new TextDecoder("latin1");

/**
 * `html` with the tag that loads the live reload script, carrying `version`
 * (the folder's version when the page is served: `LiveReload.version`), before
 * its last `</body>` (any case), or at its end when there is none; a
 * `</body>` inside a script, a style, a comment or a tag's attribute is not
 * one. A page that ends inside one of those, or in UTF-16 (it starts with
 * its byte order mark), is left as it is: the tag would be read as part of
 * them, or its bytes as UTF-16 text.
 */
export function injectLiveReload(
  html: Uint8Array,
  version: string,
): Uint8Array {
  if (isUtf16(html)) return html;
  const script = encoder.encode(
    `<script src="${LIVE_RELOAD_SCRIPT_PATH}" data-version="${
      htmlEscape(version)
    }"></script>\n`,
  );
  const cut = bodyEnd(latin1.decode(html).toLowerCase());
  if (cut === null) return html;
  const out = new Uint8Array(html.length + script.length);
  out.set(html.subarray(0, cut));
  out.set(script, cut);
  out.set(html.subarray(cut), cut + script.length);
  return out;
}

function isUtf16(bytes: Uint8Array): boolean {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) ||
    (first === 0xfe && second === 0xff);
}

/**
 * Elements whose content is text up to their end tag (HTML's raw text and
 * escapable raw text elements, and those read so when scripting is on):
 * a `</body>` in them is text.
 */
const TEXT_ELEMENTS = new Set([
  "script",
  "style",
  "textarea",
  "title",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  "noscript",
]);
const TAG_START = /<(\/?)([a-z][^\s/>]*)/y;

/**
 * Where the last `</body>` of lowercased `text` starts, read as a browser
 * tokenizes it (outside comments, tags' attributes and text elements); its
 * length when there is none; `null` when there is none and the text ends
 * inside a comment, a tag or a text element (`<plaintext>` never ends).
 */
function bodyEnd(text: string): number | null {
  let last = -1;
  const stop = () => last === -1 ? null : last;
  for (let at = text.indexOf("<"); at !== -1; at = text.indexOf("<", at)) {
    if (text.startsWith("<!--", at)) {
      const end = text.indexOf("-->", at + 4);
      if (end === -1) return stop();
      at = end + 3;
      continue;
    }
    TAG_START.lastIndex = at;
    const tag = TAG_START.exec(text);
    if (tag === null) {
      at++;
      continue;
    }
    const [start, slash, name = ""] = tag;
    const after = tagEnd(text, at + start.length);
    if (after === -1) return stop();
    if (slash) {
      if (name === "body") last = at;
    } else if (name === "plaintext") return stop();
    else if (TEXT_ELEMENTS.has(name)) {
      const close = endTagOf(text, name, after);
      if (close === -1) return stop();
      at = close;
      continue;
    }
    at = after;
  }
  return last === -1 ? text.length : last;
}

/**
 * Just past the `>` ending the tag whose attributes start at `from`; -1 if
 * none. A quote right after an `=` opens a value, which may hold `>`.
 */
function tagEnd(text: string, from: number): number {
  let previous = "";
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (c === ">") return i + 1;
    if ((c === '"' || c === "'") && previous === "=") {
      i = text.indexOf(c, i + 1);
      if (i === -1) return -1;
    }
    if (c > " ") previous = c;
  }
  return -1;
}

/** Where the end tag of text element `name` starts, from `from`; -1 if none. */
function endTagOf(text: string, name: string, from: number): number {
  const end = "</" + name;
  for (let at = text.indexOf(end, from); at !== -1;) {
    const next = text[at + end.length];
    if (next === undefined || /[\s/>]/.test(next)) return at;
    at = text.indexOf(end, at + 1);
  }
  return -1;
}
