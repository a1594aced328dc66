// A store fault's cause never carries the token: ioredis attaches the failed command, arguments
// and all, to its ReplyError, and the SET that writes a token has the token as an argument. A real
// ioredis client talks to a small local server speaking the Redis protocol (RESP), which answers
// GET with nil, the lease's SET NX with OK and the token's SET with an error, as a full Redis does.
import { type AddressInfo, createServer, type Server } from "node:net";
import Redis from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type AscTokenError, createAscTokenProvider, redisStore } from "../../src/index.js";
import { makeP256 } from "../helpers/keys.js";
import { visibleTexts } from "../helpers/no-leak.js";

const REFUSAL = "OOM command not allowed when used memory > 'maxmemory'.";

/** The commands of one RESP chunk (arrays of bulk strings), enough for ioredis's requests. */
const commands = (chunk: string): string[][] => {
  const found: string[][] = [];
  const lines = chunk.split("\r\n");
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.startsWith("*")) continue;
    const count = Number(lines[i]!.slice(1));
    const args: string[] = [];
    for (let n = 0; n < count; n++) args.push(lines[i + 2 + 2 * n]!);
    found.push(args);
    i += 2 * count;
  }
  return found;
};

let server: Server;
let port: number;
beforeAll(async () => {
  server = createServer((socket) => {
    socket.on("data", (data) => {
      for (const [name, ...args] of commands(data.toString())) {
        const command = name!.toUpperCase();
        if (command === "GET") socket.write("$-1\r\n");
        else if (command === "SET" && args.includes("NX")) socket.write("+OK\r\n");
        else if (command === "SET" && args[1] !== "released") socket.write(`-${REFUSAL}\r\n`);
        else socket.write("+OK\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    }),
);

it("STORE_UNAVAILABLE from ioredis's ReplyError: class and message kept, the token nowhere", async () => {
  const client = new Redis({ port, host: "127.0.0.1", enableReadyCheck: false, lazyConnect: true });
  await client.connect();
  try {
    // The error as ioredis makes it: a ReplyError whose command.args hold the token.
    const direct = await client
      .set("k", "eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl", "PX", 1000)
      .catch((e: unknown) => e as Error & { command?: { args: string[] } });
    expect(direct).toMatchObject({ name: "ReplyError", message: REFUSAL });
    expect((direct as { command: { args: string[] } }).command.args).toContain(
      "eyJhbGciOiJFUzI1NiJ9.e30.c2lnbmF0dXJl",
    );

    const errors: AscTokenError[] = [];
    const key = makeP256();
    const provider = createAscTokenProvider({
      keyId: "2X9R4HXF34",
      issuerId: "57246542-96fe-1a63-e053-0824d011072a",
      privateKey: key.applePem,
      store: redisStore(client),
      onError: (e) => errors.push(e),
    });
    const token = await provider.getToken();
    const fault = errors.find((e) => e.message.includes("set failed"));
    expect(fault?.code).toBe("STORE_UNAVAILABLE");
    const cause = fault?.cause as Error;
    expect(cause.name).toBe("ReplyError");
    expect(cause.message).toBe(REFUSAL);
    expect(cause).not.toHaveProperty("command");
    const [, , signature] = token.split(".");
    for (const text of visibleTexts(fault)) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(signature);
    }
    for (const text of [JSON.stringify(cause), String(cause.stack)]) {
      expect(text).not.toContain(signature);
    }
  } finally {
    client.disconnect();
  }
});
