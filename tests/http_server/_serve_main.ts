/**
 * `serve`'s `main()` called as a library function: prints what it returned
 * and leaves the process to end by itself (no `Deno.exit`), so a test sees
 * whether `main()` left anything running.
 *
 * @module
 */
import { main } from "../../http_server/serve.ts";

const code = await main(Deno.args);
console.log(`main returned ${code}`);
