// Bad-input rows for Sign in with Apple (spread into test/project/bad-input.test.ts): one or more per
// error code the verifier and the token endpoints raise, on one test kit made once. No row
// reaches a network: the key set is pinned or served by a fetch given in the row.
import type { AscTokenErrorCode, FetchLike } from "../../src/index.js";
import {
  createSignInWithAppleVerifier,
  exchangeSignInWithAppleCode,
  refreshSignInWithAppleToken,
  revokeSignInWithAppleToken,
} from "../../src/index.js";
import {
  type SignInWithAppleTestKit,
  createSignInWithAppleTestKit,
} from "../../src/testing/sign-in-with-apple.js";

const clientId = "com.example.app";
let made: Promise<SignInWithAppleTestKit> | undefined;
const kit = () => (made ??= createSignInWithAppleTestKit({ clientId, keys: 1 }));

const pinned = async () => createSignInWithAppleVerifier({ clientId, keys: (await kit()).jwks() });
const served = (answer: () => Promise<Response>) =>
  createSignInWithAppleVerifier({ clientId, fetchImpl: answer, timeout: 200 });

const idToken = (
  name: string,
  code: AscTokenErrorCode,
  token: (k: SignInWithAppleTestKit) => Promise<unknown>,
  nonce?: string,
) => ({
  target: "createSignInWithAppleVerifier",
  name,
  code,
  call: async () =>
    (await pinned()).verifyIdToken((await token(await kit())) as string, nonce ? { nonce } : {}),
});
const keySet = (name: string, code: AscTokenErrorCode, answer: () => Promise<Response>) => ({
  target: "createSignInWithAppleVerifier",
  name,
  code,
  call: async () => served(answer).verifyIdToken(await (await kit()).signIdToken()),
});
const notification = (name: string, code: AscTokenErrorCode, body: unknown) => ({
  target: "createSignInWithAppleVerifier",
  name,
  code,
  call: async () => (await pinned()).verifyNotification(body),
});
const apple =
  (status: number, body: string): FetchLike =>
  () =>
    Promise.resolve(new Response(body, { status }));
const exchange = (name: string, code: AscTokenErrorCode, fetchImpl: FetchLike) => ({
  target: "exchangeSignInWithAppleCode",
  name,
  code,
  call: () =>
    exchangeSignInWithAppleCode({ clientId, clientSecret: "s.e.cret", code: "c", fetchImpl }),
});
const appleError = (error: string, code: AscTokenErrorCode) =>
  exchange(`Apple answers ${error}`, code, apple(400, JSON.stringify({ error })));

export const siwaRows = [
  idToken("1 MB token", "SIWA_TOKEN_MALFORMED", () => Promise.resolve("a.".repeat(512 * 1024))),
  idToken("alg HS256", "SIWA_TOKEN_HEADER_INVALID", (k) =>
    k.signIdToken({}, { header: { alg: "HS256" } }),
  ),
  idToken("a kid not in the set", "SIWA_KEY_NOT_FOUND", (k) =>
    k.signIdToken({}, { header: { kid: "Elsewhere" } }),
  ),
  idToken("a flipped signature", "SIWA_SIGNATURE_INVALID", async (k) => {
    const token = await k.signIdToken();
    const at = token.length - 20;
    return token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
  }),
  idToken("iss of another issuer", "SIWA_CLAIM_INVALID", (k) =>
    k.signIdToken({ iss: "https://example.com" }),
  ),
  idToken("aud another app's", "SIWA_AUDIENCE_MISMATCH", (k) =>
    k.signIdToken({ aud: "com.other.app" }),
  ),
  idToken("expired an hour ago", "SIWA_TOKEN_EXPIRED", (k) =>
    k.signIdToken({ exp: Math.floor(Date.now() / 1000) - 3600 }),
  ),
  idToken("another nonce", "SIWA_NONCE_MISMATCH", (k) => k.signIdToken({ nonce: "a" }), "b"),
  notification("a body without payload", "SIWA_NOTIFICATION_MALFORMED", '{"events":"{}"}'),
  keySet("the key set down", "SIWA_KEYS_UNAVAILABLE", () =>
    Promise.resolve(new Response("", { status: 503 })),
  ),
  keySet("the key set hung", "SIWA_KEYS_UNAVAILABLE", () => new Promise<Response>(() => undefined)),
  keySet("the key set garbage", "SIWA_KEYS_MALFORMED", () =>
    Promise.resolve(new Response("<html>")),
  ),
  exchange("no answer", "SIWA_REQUEST_FAILED", () => Promise.reject(new TypeError("failed"))),
  exchange("a 200 that is not JSON", "SIWA_RESPONSE_MALFORMED", apple(200, "<html>")),
  appleError("invalid_request", "SIWA_INVALID_REQUEST"),
  appleError("invalid_client", "SIWA_INVALID_CLIENT"),
  appleError("invalid_grant", "SIWA_INVALID_GRANT"),
  appleError("unauthorized_client", "SIWA_UNAUTHORIZED_CLIENT"),
  appleError("unsupported_grant_type", "SIWA_UNSUPPORTED_GRANT_TYPE"),
  appleError("invalid_scope", "SIWA_INVALID_SCOPE"),
  {
    target: "refreshSignInWithAppleToken",
    name: "a revoked refresh token",
    code: "SIWA_INVALID_GRANT" as AscTokenErrorCode,
    call: () =>
      refreshSignInWithAppleToken({
        clientId,
        clientSecret: "s",
        refreshToken: "r",
        fetchImpl: apple(400, '{"error":"invalid_grant"}'),
      }),
  },
  {
    target: "revokeSignInWithAppleToken",
    name: "a typo in the options",
    code: "UNKNOWN_OPTION" as AscTokenErrorCode,
    call: () =>
      revokeSignInWithAppleToken({ clientId, clientSecret: "s", token: "t", hint: 1 } as never),
  },
];
