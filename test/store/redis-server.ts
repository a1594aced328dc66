// A throwaway Redis server for the store tests: Debian's redis-server on a free port, without
// persistence, stopped and started again on the same port to simulate an outage.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { createServer } from "node:net";

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => {
        resolve(port);
      });
    });
  });

const binary = (): string => {
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error(
      "redis-server is missing: install the Debian package redis-server (apt-get install -y redis-server); .ci/run does",
    );
  }
};

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
}

/** Starts redis-server on a free port; resolves once it accepts connections. */
export const startRedis = async (): Promise<RedisServer> => {
  const path = binary();
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const proc = spawn(
        path,
        ["--save", "", "--appendonly", "no", "--port", String(port), "--bind", "127.0.0.1"],
        { stdio: ["ignore", "pipe", "pipe"] },
      );
      child = proc;
      let output = "";
      const timer = setTimeout(() => {
        reject(new Error(`redis-server did not start on port ${String(port)}: ${output}`));
      }, 10_000);
      proc.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes("Ready to accept connections")) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${String(code)}: ${output}`));
      });
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      const proc = child;
      child = undefined;
      if (proc?.exitCode !== null) {
        resolve();
        return;
      }
      proc.on("exit", () => {
        resolve();
      });
      proc.kill("SIGTERM");
    });
  await start();
  return { port, url: `redis://127.0.0.1:${String(port)}`, stop, start };
};
