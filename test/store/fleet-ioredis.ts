// A fleet member over ioredis (see fleet-member.ts).
import { Redis } from "ioredis";
import { redisStore } from "../../src/index.js";
import { runMember } from "./fleet-member.js";

void runMember(async (url) => {
  const client = new Redis(url, { lazyConnect: true });
  client.on("error", () => undefined); // outages are what the store layer reports
  await client.connect();
  return { store: redisStore(client), incr: (k) => client.incr(k), close: () => client.quit() };
});
