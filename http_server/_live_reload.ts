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

const SCRIPT = `<script>(() => {
  const events = new EventSource(${JSON.stringify(LIVE_RELOAD_PATH)});
  let opened = false;
  events.addEventListener("change", () => location.reload());
  events.onopen = () => { if (opened) location.reload(); opened = true; };
})();</script>
`;
const SCRIPT_BYTES = new TextEncoder().encode(SCRIPT);
// One byte per character, so string offsets are byte offsets.
const latin1 = new TextDecoder("latin1");

/**
 * `html` with the live reload script before its last `</body>` (any case),
 * or at its end when there is none.
 */
export function injectLiveReload(html: Uint8Array): Uint8Array {
  const text = latin1.decode(html).toLowerCase();
  const at = text.lastIndexOf("</body");
  const cut = at === -1 ? html.length : at;
  const out = new Uint8Array(html.length + SCRIPT_BYTES.length);
  out.set(html.subarray(0, cut));
  out.set(SCRIPT_BYTES, cut);
  out.set(html.subarray(cut), cut + SCRIPT_BYTES.length);
  return out;
}
