/**
 * The page side of live reload: the script added to HTML pages and where it
 * goes. The script listens to the server's event stream and reloads the
 * page on a `change` event, or when the stream comes back after the server
 * restarted.
 *
 * @module
 */

/** The path of the event stream pages listen to. */
export const LIVE_RELOAD_PATH = "/__serve/live-reload";

// One tab of the site listens and tells the others (BroadcastChannel),
// elected by a Web Lock: a browser holds at most six HTTP/1.1 connections
// to a site, and a seventh tab each holding a stream would never load.
// Where Web Locks are missing (outside a secure context: http:// to a LAN
// address) each tab listens itself. A page kept for the back button lets
// its stream and its turn go, and reloads when it is shown again. While
// every tab reloads nobody listens: the stream's first event says how long
// ago the folder last changed, and a page loaded before that reloads (a
// tab whose script starts later asks the listening tab).
const SCRIPT = `<script>(() => {
  const path = ${JSON.stringify(LIVE_RELOAD_PATH)};
  const tabs = self.BroadcastChannel && navigator.locks
    ? new BroadcastChannel(path)
    : null;
  const turn = new AbortController();
  let lastChange = null;
  let events = null;
  let leave = null;
  let opened = false;
  const reload = () => { tabs?.postMessage("reload"); location.reload(); };
  // On the page's own monotonic clock (a wall clock can jump): the change
  // came after this page started loading.
  const reloadIfOlder = (age) => {
    if (age < performance.now()) location.reload();
  };
  const listen = () => {
    events = new EventSource(path);
    events.addEventListener("change", reload);
    events.addEventListener("hello", (e) => {
      const age = Number(e.data);
      if (!(age >= 0)) return;
      lastChange = performance.now() - age;
      tabs?.postMessage(age);
      reloadIfOlder(age);
    });
    events.onopen = () => { if (opened) reload(); opened = true; };
  };
  if (tabs) {
    // A tab whose script starts after the listener's news asks for it.
    tabs.onmessage = (e) => {
      if (e.data === "age?") {
        if (lastChange !== null) tabs.postMessage(performance.now() - lastChange);
      } else if (typeof e.data === "number") reloadIfOlder(e.data);
      else location.reload();
    };
    tabs.postMessage("age?");
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
})();</script>
`;
const SCRIPT_BYTES = new TextEncoder().encode(SCRIPT);
// One byte per character, so string offsets are byte offsets.
const latin1 = new TextDecoder("latin1");

/**
 * `html` with the live reload script before its last `</body>` (any case),
 * or at its end when there is none; a page in UTF-16 (it starts with its
 * byte order mark) is left as it is, as the script's bytes would be read
 * as UTF-16 text.
 */
export function injectLiveReload(html: Uint8Array): Uint8Array {
  if (isUtf16(html)) return html;
  const text = latin1.decode(html).toLowerCase();
  const at = text.lastIndexOf("</body");
  const cut = at === -1 ? html.length : at;
  const out = new Uint8Array(html.length + SCRIPT_BYTES.length);
  out.set(html.subarray(0, cut));
  out.set(SCRIPT_BYTES, cut);
  out.set(html.subarray(cut), cut + SCRIPT_BYTES.length);
  return out;
}

function isUtf16(bytes: Uint8Array): boolean {
  const [first, second] = bytes;
  return (first === 0xff && second === 0xfe) ||
    (first === 0xfe && second === 0xff);
}
