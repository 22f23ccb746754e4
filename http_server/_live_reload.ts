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
 * its last `</body>` (any case), or at its end when there is none; a page
 * in UTF-16 (it starts with its byte order mark) is left as it is, as the
 * script's bytes would be read as UTF-16 text.
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
  const text = latin1.decode(html).toLowerCase();
  const at = text.lastIndexOf("</body");
  const cut = at === -1 ? html.length : at;
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
