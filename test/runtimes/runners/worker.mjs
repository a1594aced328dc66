// A Cloudflare Workers module: the packed ESM builds and the suite are loaded beside it as
// "./asc-token.js", "./asc-token-testing.js" and "./suite.mjs" (test/runtimes/targets/workers.mjs). POST the fixtures,
// get the outcome back.
import * as lib from "./asc-token.js";
import * as testing from "./asc-token-testing.js";
import { run } from "./suite.mjs";

export default {
  async fetch(request) {
    const outcome = await run(lib, await request.json(), testing);
    return Response.json({ ...outcome, entry: "./asc-token.js" });
  },
};
