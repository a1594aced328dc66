// Fixtures shared by the tests of the token kinds (test/kinds/*.test.ts) and by the other tests
// that mint: fixed IDs, a fixed clock, one generated key a file.
import * as api from "../../src/index.js";
import { makeP256, type P256Fixture } from "./keys.js";
import { decodeToken, verifies } from "./verify.js";

export const keyId = "2X9R4HXF34";
export const teamId = "DEF123GHIJ";
export const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
export const bundleId = "com.example.app";
/** The Key ID of Apple Business Manager's and Apple Ads' portals (a UUID), and their client IDs. */
export const PORTAL_KEY_ID = "d136aa66-0c3b-4bd4-9892-c20e8db024ab";
export const ABM_CLIENT = "BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152";
export const ADS_CLIENT = "SEARCHADS.27478e71-3bb0-4588-998c-182e2b405577";
export const ADS_TEAM = "SEARCHADS.9703f56c-10ce-4876-8f59-e78e5e23a152";
export const NOW = Date.UTC(2026, 10, 28, 12, 0, 0); // ms
export const nowS = NOW / 1000;

let fixture: P256Fixture | undefined;
/** One generated P-256 key for the whole file (never a real key). */
export const key = (): P256Fixture => (fixture ??= makeP256());

/** A mint function of any kind, called with untyped options. */
export type Mint = (options: Record<string, unknown>) => Promise<string>;
/** Any kind, callable with untyped options (the tests pass wrong types on purpose). */
export const loose = (create: (options: never) => Promise<unknown>): Mint => create as Mint;

/** `createAscToken`'s options with {@link key}: what the provider tests mint with. */
export const ascOptions = () => ({ keyId, issuerId, privateKey: key().applePem });

/**
 * A kind's mint function over the fixed key ID, {@link key} and clock, plus the options the kind
 * requires; each call passes `extra` over them, right or wrong, to see what the kind makes of it.
 */
export const minter =
  <O, R>(create: (options: O) => Promise<R>, required: Record<string, unknown> = {}) =>
  (extra: Partial<Record<keyof O, unknown>> = {}): Promise<R> =>
    create({ keyId, privateKey: key().applePem, now: () => NOW, ...required, ...extra } as O);

/**
 * The mint function of the kind of TOKEN_KINDS named `kind` (its `create` export), as {@link minter}
 * makes it: over the fixed key ID, {@link key} and clock, with `extra` passed over them.
 */
export const mintOf = (kind: string): ((extra?: Record<string, unknown>) => Promise<string>) => {
  const found = api.TOKEN_KINDS.find((each) => each.name === kind);
  if (!found) throw new Error(`no kind ${kind} in TOKEN_KINDS`);
  return minter(loose((api as unknown as Record<string, Mint>)[found.create]!));
};

/** Decodes `token` and checks with node:crypto that `key()` signed it; returns its parts. */
export const opened = (token: string) => {
  if (!verifies(token, key().publicKey))
    throw new Error("signature does not verify with node:crypto");
  return decodeToken(token);
};

/** Deep-freezes a plain options object (arrays and nested objects included), as a caller might. */
export const frozen = <T extends object>(value: T): T => {
  for (const inner of Object.values(value)) {
    if (typeof inner === "object" && inner !== null && !ArrayBuffer.isView(inner))
      frozen(inner as object);
  }
  return Object.freeze(value);
};

/**
 * The options each kind of TOKEN_KINDS needs besides keyId, privateKey and now, by its name: the
 * kind tests are generated from these (test/kinds/shared.test.ts checks every kind has one).
 */
export const KIND_SAMPLES: Record<string, Record<string, unknown>> = {
  "app-store-connect": { issuerId },
  "app-store-server": { issuerId, bundleId },
  "in-app": {
    issuerId,
    bundleId,
    audience: "promotional-offer",
    claims: { productId: "p", offerIdentifier: "o" },
  },
  apns: { teamId },
  devicecheck: { teamId },
  "sign-in-with-apple": { teamId, clientId: "com.example.web" },
  musickit: { teamId, origin: ["https://example.com"] },
  weatherkit: { teamId, serviceId: "com.example.weather" },
  mapkit: { teamId, scope: ["mapkit_js"], origin: "*.example.com" },
  "apple-business-manager": { clientId: ABM_CLIENT },
  "apple-ads": {
    clientId: ADS_CLIENT,
    teamId: ADS_CLIENT,
  },
};
