// A local HTTP server standing in for one of Apple's endpoints.
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Answers `response` with JSON `body` and `status` after `delayMs`, unless the client left. */
export const replyJson =
  (response: ServerResponse) =>
  (status: number, body: string, delayMs = 0): void => {
    setTimeout(() => {
      if (!response.destroyed) {
        response.writeHead(status, { "Content-Type": "application/json" }).end(body);
      }
    }, delayMs);
  };

/** Starts `server` on a free port of 127.0.0.1; returns its base URL. */
export const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
};
