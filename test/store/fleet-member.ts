// One member of a fleet, in a worker thread: its own Redis connection and its own provider. Each
// signing increments a counter in Redis; the clock is shared with the main thread through a
// SharedArrayBuffer, so the test can move every member to the next lifetime at once. The test
// bundles fleet-ioredis.ts or fleet-node-redis.ts (this file, the library from source and one
// client) into one minified script, so 20 threads each parse one file.
import { parentPort, workerData } from "node:worker_threads";
import {
  type AscTokenErrorCode,
  type AscTokenOptions,
  type TokenStore,
  createAscToken,
  createTokenProvider,
  signerKey,
} from "../../src/index.js";
import { createPrivateKey, sign } from "node:crypto";

/** A member's connection: the store over it, a counter, and how to close it. */
export interface Connection {
  store: TokenStore;
  incr(key: string): Promise<unknown>;
  close(): Promise<unknown>;
}

export const runMember = async (connect: (url: string) => Promise<Connection>): Promise<void> => {
  const port = parentPort!;
  const { url, options, clock } = workerData as {
    url: string;
    options: AscTokenOptions;
    clock: SharedArrayBuffer;
  };
  const now = () => new Float64Array(clock)[0]!;
  const connection = await connect(url);
  const pem = createPrivateKey(options.privateKey as string);
  const counted = {
    sign: async (data: Uint8Array) => {
      await connection.incr("test:signings");
      return sign("sha256", data, { key: pem, dsaEncoding: "ieee-p1363" });
    },
  };
  const errors: AscTokenErrorCode[] = [];
  // 20 threads on a shared 2-core CI machine: each store call may take up to 1 s and a waiter
  // waits up to 2 s for the lease winner's token before signing itself (the protocol's bounds).
  const provider = createTokenProvider(createAscToken, {
    ...options,
    privateKey: signerKey(counted),
    store: connection.store,
    onError: (e) => errors.push(e.code),
    now,
  });
  port.on("message", (message) => {
    if (message === "close") {
      void connection.close().then(() => {
        port.close();
      });
      return;
    }
    provider.getToken().then(
      (token) => {
        port.postMessage({ token, errors: errors.splice(0) });
      },
      (error: unknown) => {
        port.postMessage({ error: String(error) });
      },
    );
  });
  port.postMessage("ready");
};
