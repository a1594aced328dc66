// The client assertion (Apple Business/School Manager) and the client secret (Apple Ads): claims
// exactly as Apple's pages list them, verified by node:crypto and jose, with keys made the way
// Apple tells users to make them (openssl ecparam: a SEC1 "EC PRIVATE KEY").
import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importSPKI, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  createAppleAdsClientSecret,
  createAppleBusinessManagerAssertion,
} from "../../src/index.js";
import { missingTool } from "../helpers/external.js";
import { ABM_CLIENT, ADS_CLIENT, ADS_TEAM, NOW, PORTAL_KEY_ID } from "../helpers/kinds.js";
import { decodeToken } from "../helpers/verify.js";

/** A key made as Apple's pages say: `openssl ecparam -genkey -name prime256v1 -noout`. */
const opensslKey = (): string => {
  const problem = missingTool("openssl");
  if (problem) throw new Error(problem);
  const file = join(mkdtempSync(join(tmpdir(), "asc-token-oauth-")), "private-key.pem");
  execFileSync("openssl", ["ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", file]);
  return readFileSync(file, "utf8");
};
const pem = opensslKey();
const publicKey = createPublicKey(createPrivateKey(pem));
const spki = publicKey.export({ type: "spki", format: "pem" }) as string;

const abm = (extra: Record<string, unknown> = {}) =>
  createAppleBusinessManagerAssertion({
    clientId: ABM_CLIENT,
    keyId: PORTAL_KEY_ID,
    privateKey: pem,
    now: () => NOW,
    ...extra,
  });
const ads = (extra: Record<string, unknown> = {}) =>
  createAppleAdsClientSecret({
    clientId: ADS_CLIENT,
    teamId: ADS_TEAM,
    keyId: PORTAL_KEY_ID,
    privateKey: pem,
    now: () => NOW,
    ...extra,
  });

describe("the openssl key", () => {
  it("is the SEC1 EC PRIVATE KEY users have, used as it is", () => {
    expect(pem).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
  });
});

describe("createAppleBusinessManagerAssertion", () => {
  it("jose verifies it with Apple's audience, issuer and subject", async () => {
    const { payload, protectedHeader } = await jwtVerify(
      await abm(),
      await importSPKI(spki, "ES256"),
      {
        audience: "https://account.apple.com/auth/oauth2/v2/token",
        issuer: ABM_CLIENT,
        subject: ABM_CLIENT,
        currentDate: new Date(NOW),
      },
    );
    expect(protectedHeader).toStrictEqual({ alg: "ES256", kid: PORTAL_KEY_ID });
    expect(payload.jti).toBeTypeOf("string");
  });

  it("a new jti each time", async () => {
    const [a, b] = await Promise.all([abm(), abm()]);
    expect(decodeToken(a).claims.jti).not.toBe(decodeToken(b).claims.jti);
  });

  it("exp less than 180 days after iat: 15,551,999 s taken, 180 days refused", async () => {
    const { claims } = decodeToken(await abm({ expiresIn: 15_551_999 }));
    expect((claims.exp as number) - (claims.iat as number)).toBe(15_551_999);
    await expect(abm({ expiresIn: 180 * 86_400 })).rejects.toMatchObject({
      code: "LIFETIME_TOO_LONG",
    });
  });

  it.each([
    ["clientId missing", { clientId: undefined }, "INVALID_CLIENT_ID"],
    ["clientId without its prefix", { clientId: "9703f56c-10ce-4876" }, "INVALID_CLIENT_ID"],
    ["clientId with a space", { clientId: `${ABM_CLIENT} ` }, "INVALID_CLIENT_ID"],
    ["keyId missing", { keyId: undefined }, "INVALID_KEY_ID"],
    ["keyId with a newline", { keyId: `${PORTAL_KEY_ID}\n` }, "INVALID_KEY_ID"],
    ["teamId given", { teamId: ADS_TEAM }, "UNKNOWN_OPTION"],
    ["a public key", { privateKey: spki }, "KEY_NOT_PRIVATE"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(abm(extra)).rejects.toMatchObject({ code });
  });
});

describe("createAppleAdsClientSecret", () => {
  it("jose verifies it with Apple's audience, issuer and subject", async () => {
    const { payload } = await jwtVerify(await ads(), await importSPKI(spki, "ES256"), {
      audience: "https://appleid.apple.com",
      issuer: ADS_TEAM,
      subject: ADS_CLIENT,
      currentDate: new Date(NOW),
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it("less than 180 days", async () => {
    await expect(ads({ expiresIn: 15_551_999 })).resolves.toBeTypeOf("string");
    await expect(ads({ expiresIn: 15_552_000 })).rejects.toMatchObject({
      code: "LIFETIME_TOO_LONG",
    });
  });

  it.each([
    ["teamId a developer Team ID", { teamId: "DEF123GHIJ" }, "INVALID_TEAM_ID"],
    ["teamId missing", { teamId: undefined }, "INVALID_TEAM_ID"],
    ["clientId missing", { clientId: undefined }, "INVALID_CLIENT_ID"],
    ["keyId empty", { keyId: "" }, "INVALID_KEY_ID"],
    ["clientID for clientId", { clientID: ADS_CLIENT }, "UNKNOWN_OPTION"],
  ])("%s → %s", async (_, extra, code) => {
    await expect(ads(extra)).rejects.toMatchObject({ code });
  });
});
