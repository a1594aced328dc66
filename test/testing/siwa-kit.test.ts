// The Sign in with Apple test kit (asc-token/testing) and the corners of the verifier that need a
// WebCrypto or a fetch that misbehaves: each is provoked, none is assumed.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createSignInWithAppleVerifier, isAscTokenError } from "../../src/index.js";
import { createSignInWithAppleTestKit } from "../../src/testing/sign-in-with-apple.js";

const clientId = "com.example.app";
const codeOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isAscTokenError(error), String(error)).toBe(true);
  return (error as { code: string }).code;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("createSignInWithAppleTestKit", () => {
  it("its fetch serves the key set and counts the requests", async () => {
    const kit = await createSignInWithAppleTestKit({ keys: 1 });
    const verifier = createSignInWithAppleVerifier({ clientId, fetchImpl: kit.fetch });
    await verifier.verifyIdToken(await kit.signIdToken());
    await verifier.verifyIdToken(await kit.signIdToken());
    expect(kit.fetchCount()).toBe(1);
    expect(kit.clientId).toBe(clientId);
    const answer = await kit.fetch("https://appleid.apple.com/auth/keys");
    expect(await answer.json()).toStrictEqual(kit.jwks());
  });

  it("rotates: a new kid last, the oldest gone", async () => {
    const kit = await createSignInWithAppleTestKit({ keys: 2 });
    const [first, second] = kit.kids();
    const added = await kit.rotate();
    expect(kit.kids()).toStrictEqual([second, added]);
    expect(kit.kids()).not.toContain(first);
  });

  it.each([
    ["a typo", { clientID: "x" }, "UNKNOWN_OPTION"],
    ["clientId empty", { clientId: "" }, "INVALID_OPTIONS"],
    ["keys 0", { keys: 0 }, "INVALID_OPTIONS"],
    ["keys 6", { keys: 6 }, "INVALID_OPTIONS"],
    ["now in seconds", { now: () => 1_700_000_000 }, "INVALID_NOW"],
  ])("refuses %s with %s", async (_, options, code) => {
    expect(await codeOf(createSignInWithAppleTestKit(options as never))).toBe(code);
  });

  it("refuses to sign with a kid it does not hold", async () => {
    const kit = await createSignInWithAppleTestKit({ keys: 1 });
    expect(await codeOf(kit.signIdToken({}, { kid: "Other" }))).toBe("INVALID_OPTIONS");
  });
});

describe("the verifier when WebCrypto or fetch misbehave", () => {
  it("WebCrypto refusing a key of the set → SIWA_KEYS_MALFORMED, its error the cause", async () => {
    const kit = await createSignInWithAppleTestKit({ keys: 1 });
    const token = await kit.signIdToken();
    vi.spyOn(crypto.subtle, "importKey").mockRejectedValue(new DOMException("no", "DataError"));
    const verifier = createSignInWithAppleVerifier({ clientId, keys: kit.jwks() });
    expect(await codeOf(verifier.verifyIdToken(token))).toBe("SIWA_KEYS_MALFORMED");
  });

  it("WebCrypto failing to verify → SIWA_SIGNATURE_INVALID", async () => {
    const kit = await createSignInWithAppleTestKit({ keys: 1 });
    const token = await kit.signIdToken();
    const verifier = createSignInWithAppleVerifier({ clientId, keys: kit.jwks() });
    vi.spyOn(crypto.subtle, "verify").mockRejectedValue(new DOMException("no", "OperationError"));
    expect(await codeOf(verifier.verifyIdToken(token))).toBe("SIWA_SIGNATURE_INVALID");
  });

  it("an answer without a body stream is read as text, and still bounded", async () => {
    const kit = await createSignInWithAppleTestKit({ keys: 1 });
    const token = await kit.signIdToken();
    const bodiless = (text: string) => () =>
      Promise.resolve({ status: 200, body: null, text: () => Promise.resolve(text) } as Response);
    await expect(
      createSignInWithAppleVerifier({
        clientId,
        fetchImpl: bodiless(JSON.stringify(kit.jwks())),
      }).verifyIdToken(token),
    ).resolves.toMatchObject({ aud: clientId });
    const huge = bodiless("x".repeat(70_000));
    expect(
      await codeOf(
        createSignInWithAppleVerifier({ clientId, fetchImpl: huge }).verifyIdToken(token),
      ),
    ).toBe("SIWA_KEYS_MALFORMED");
  });
});
