// A Cloudflare Workers module: the packed ESM build and the suite are loaded beside it as
// "./asc-token.js" and "./suite.mjs" (test/runtimes/targets/workers.mjs). POST the fixtures,
// get the outcome back.
import * as lib from "./asc-token.js";
import { run } from "./suite.mjs";

export default {
  async fetch(request) {
    const outcome = await run(lib, await request.json());
    return Response.json({ ...outcome, entry: "./asc-token.js" });
  },
};
