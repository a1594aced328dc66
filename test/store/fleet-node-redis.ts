// A fleet member over node-redis, the `redis` package (see fleet-member.ts).
import { createClient } from "redis";
import { redisStore } from "../../src/index.js";
import { runMember } from "./fleet-member.js";

void runMember(async (url) => {
  const client = createClient({ url });
  client.on("error", () => undefined); // outages are what the store layer reports
  await client.connect();
  return { store: redisStore(client), incr: (k) => client.incr(k), close: () => client.close() };
});
