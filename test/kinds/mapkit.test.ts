import { describe, expect, it } from "vitest";
import { createMapKitToken } from "../../src/index.js";
import { minter, opened, teamId } from "../helpers/kinds.js";

const mint = minter(createMapKitToken, { teamId });

describe("createMapKitToken", () => {
  it("joins scopes with spaces and origins with commas", async () => {
    const { claims } = opened(
      await mint({
        scope: Object.freeze(["mapkit_js", "web_snapshots"]),
        origin: Object.freeze(["example.com", "*.subdomain.com"]),
      }),
    );
    expect(claims).toMatchObject({
      scope: "mapkit_js web_snapshots",
      origin: "example.com,*.subdomain.com",
    });
  });

  it("server_api needs no origin", async () => {
    expect(opened(await mint({ scope: ["server_api"] })).claims).not.toHaveProperty("origin");
  });
});
