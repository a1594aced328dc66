// Each kind's own options, each wrong in a way a caller gets it wrong, refused with its code: one
// table by kind. What every kind shares (keyId, privateKey, now, clockTolerance) is refused in
// test/kinds/shared.test.ts, a required identifier left unset or empty in
// test/kinds/unset-identifiers.test.ts; the in-app, promotional-offer and OAuth kinds keep theirs.
import { describe, expect, it } from "vitest";
import { bundleId, issuerId, mintOf, teamId } from "../helpers/kinds.js";

type Row = [what: string, extra: Record<string, unknown>, code: string];

/** A Team ID wrong three ways, for APNs and DeviceCheck (built "the same steps" as APNs). */
const teamIds: Row[] = [
  ["teamId 9 characters", { teamId: "DEF123GHI" }, "INVALID_TEAM_ID"],
  ["teamId lower case", { teamId: "def123ghij" }, "INVALID_TEAM_ID"],
  ["teamId an issuer ID", { teamId: "57246542-96fe-1a63-e053-0824d011072a" }, "INVALID_TEAM_ID"],
];

/** Each kind: the options it needs besides keyId, privateKey and now, and its refusals. */
const kinds: [kind: string, required: Record<string, unknown>, rows: Row[]][] = [
  ["apns", { teamId }, teamIds],
  ["devicecheck", { teamId }, teamIds],
  [
    "app-store-server",
    { issuerId, bundleId },
    [
      ["issuerId not a UUID", { issuerId: "57246542-96fe-1a63-e053" }, "INVALID_ISSUER_ID"],
      ["bundleId with a space", { bundleId: "com.example app" }, "INVALID_BUNDLE_ID"],
      ["bundleId with an empty part", { bundleId: "com..example" }, "INVALID_BUNDLE_ID"],
    ],
  ],
  [
    "weatherkit",
    { teamId, serviceId: "com.example.weather" },
    [
      ["teamId lower case", { teamId: "def123ghij" }, "INVALID_TEAM_ID"],
      ["serviceId with a slash", { serviceId: "com/example" }, "INVALID_SERVICE_ID"],
      ["serviceId ending in a period", { serviceId: "com.example." }, "INVALID_SERVICE_ID"],
    ],
  ],
  [
    "sign-in-with-apple",
    { teamId, clientId: "com.example.web" },
    [
      ["clientId a URL", { clientId: "https://example.com" }, "INVALID_CLIENT_ID"],
      ["clientId with a space", { clientId: "com.example web" }, "INVALID_CLIENT_ID"],
    ],
  ],
  [
    "musickit",
    { teamId },
    [
      ["origin empty array", { origin: [] }, "INVALID_ORIGIN"],
      ["origin empty string", { origin: "" }, "INVALID_ORIGIN"],
      ["origin with a space", { origin: ["https://example.com https://x.com"] }, "INVALID_ORIGIN"],
      ["origin with a comma", { origin: ["https://example.com,https://x.com"] }, "INVALID_ORIGIN"],
      ["origin entry a number", { origin: [42] }, "INVALID_ORIGIN"],
      ["origin an object", { origin: { url: "https://example.com" } }, "INVALID_ORIGIN"],
    ],
  ],
  [
    "mapkit",
    { teamId },
    [
      ["scope unknown", { scope: "maps" }, "INVALID_SCOPE"],
      ["scope empty array", { scope: [] }, "INVALID_SCOPE"],
      ["scope space-separated string", { scope: "server_api mapkit_js" }, "INVALID_SCOPE"],
      ["mapkit_js without origin", { scope: ["mapkit_js"] }, "INVALID_ORIGIN"],
      ["web_snapshots without origin", { scope: "web_snapshots" }, "INVALID_ORIGIN"],
      ["embed_api without origin", { scope: ["server_api", "embed_api"] }, "INVALID_ORIGIN"],
      ["origin with a space", { origin: "example.com other.com" }, "INVALID_ORIGIN"],
    ],
  ],
];

describe.each(kinds)("%s", (kind, required, rows) => {
  const mint = mintOf(kind);

  it("mints with the required options alone (each row's base is good)", async () => {
    await expect(mint(required)).resolves.toBeTypeOf("string");
  });

  it.each(rows)("%s → %s", async (_, extra, code) => {
    await expect(mint({ ...required, ...extra })).rejects.toMatchObject({ code });
  });
});
