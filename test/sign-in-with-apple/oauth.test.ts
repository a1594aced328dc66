// Sign in with Apple's token endpoints: a local HTTP server stands in for appleid.apple.com (the
// injected fetch sends Apple's URLs there, after checking them) and checks the form fields
// exactly; the client secret it receives is verified with jose and node:crypto, which we did not
// write.
import { createPublicKey, verify as nodeVerify } from "node:crypto";
import { type IncomingMessage, type Server, createServer } from "node:http";
import { importSPKI, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AscTokenErrorCode,
  type FetchLike,
  createSignInWithAppleSecret,
  createTokenProvider,
  exchangeSignInWithAppleCode,
  refreshSignInWithAppleToken,
  revokeSignInWithAppleToken,
} from "../../src/index.js";
import { refusal } from "../helpers/codes.js";
import { key, keyId, teamId } from "../helpers/kinds.js";
import { listen, replyJson } from "../helpers/server.js";

const clientId = "com.example.web";

interface Seen {
  method: string;
  path: string;
  contentType: string | undefined;
  form: [string, string][];
}
let seen: Seen[] = [];
let reply: (respond: (status: number, body: string, delayMs?: number) => void) => void;
let server: Server;
let base: string;

const bodyOf = async (request: IncomingMessage): Promise<string> => {
  let text = "";
  for await (const chunk of request) text += String(chunk);
  return text;
};

beforeAll(async () => {
  server = createServer((request, response) => {
    void bodyOf(request).then((text) => {
      seen.push({
        method: request.method ?? "",
        path: request.url ?? "",
        contentType: request.headers["content-type"],
        form: [...new URLSearchParams(text)],
      });
      reply(replyJson(response));
    });
  });
  base = await listen(server);
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A fetch that sends Apple's token and revoke URLs, and only those, to the local server. */
const toLocal: FetchLike = (input, init) => {
  const url = input instanceof Request ? input.url : input.toString();
  if (!/^https:\/\/appleid\.apple\.com\/auth\/(token|revoke)$/.test(url)) {
    return Promise.reject(new Error(`not Apple's endpoint: ${url}`));
  }
  return fetch(url.replace("https://appleid.apple.com", base), init);
};

const TOKENS = {
  access_token: "a0.0.abcd.access",
  token_type: "Bearer",
  expires_in: 3600,
  refresh_token: "r0.0.abcd.refresh",
  id_token: "eyJ.eyJ.sig",
};
const answerWith = (status: number, body: unknown) => {
  reply = (respond) => {
    respond(status, typeof body === "string" ? body : JSON.stringify(body));
  };
};
const mintSecret = () =>
  createSignInWithAppleSecret({
    keyId,
    teamId,
    clientId,
    privateKey: key().applePem,
    now: () => Date.now(),
  });

/** What the local server must have seen: a form-encoded POST to `path` with `form`, in order. */
const posted = (path: string, form: [string, string][]) => ({
  method: "POST",
  path,
  contentType: "application/x-www-form-urlencoded",
  form,
});

const apple = { clientId, clientSecret: "client.secret.jwt", fetchImpl: toLocal };

describe("exchangeSignInWithAppleCode", () => {
  it("posts client_id, client_secret, code, grant_type and redirect_uri, form-encoded, to /auth/token", async () => {
    seen = [];
    answerWith(200, TOKENS);
    const tokens = await exchangeSignInWithAppleCode({
      ...apple,
      code: "c0.0.code",
      redirectUri: "https://example.com/auth/apple",
    });
    expect(tokens).toStrictEqual(TOKENS);
    expect(seen).toStrictEqual([
      posted("/auth/token", [
        ["client_id", clientId],
        ["client_secret", "client.secret.jwt"],
        ["code", "c0.0.code"],
        ["grant_type", "authorization_code"],
        ["redirect_uri", "https://example.com/auth/apple"],
      ]),
    ]);
  });

  it("sends no redirect_uri when none is given (a native app's code)", async () => {
    seen = [];
    answerWith(200, TOKENS);
    await exchangeSignInWithAppleCode({ ...apple, code: "c" });
    expect(seen[0]!.form.map(([name]) => name)).toStrictEqual([
      "client_id",
      "client_secret",
      "code",
      "grant_type",
    ]);
  });

  it("sends a client secret made by createSignInWithAppleSecret that jose and node:crypto verify", async () => {
    const publicPem = createPublicKey(key().applePem)
      .export({ type: "spki", format: "pem" })
      .toString();
    for (const clientSecret of [
      mintSecret,
      createTokenProvider(createSignInWithAppleSecret, {
        keyId,
        teamId,
        clientId,
        privateKey: key().applePem,
      }),
    ]) {
      seen = [];
      answerWith(200, TOKENS);
      await exchangeSignInWithAppleCode({ ...apple, clientSecret, code: "c" });
      const secret = seen[0]!.form.find(([name]) => name === "client_secret")![1];
      const { payload, protectedHeader } = await jwtVerify(
        secret,
        await importSPKI(publicPem, "ES256"),
        { issuer: teamId, audience: "https://appleid.apple.com", subject: clientId },
      );
      expect(protectedHeader).toStrictEqual({ alg: "ES256", kid: keyId });
      expect(Object.keys(payload)).toStrictEqual(["iss", "iat", "exp", "aud", "sub"]);
      const [head, body, signature] = secret.split(".");
      expect(
        nodeVerify(
          "sha256",
          Buffer.from(`${head}.${body}`),
          { key: publicPem, dsaEncoding: "ieee-p1363" },
          Buffer.from(signature!, "base64url"),
        ),
      ).toBe(true);
    }
  });

  it.each([
    ["invalid_request", "SIWA_INVALID_REQUEST"],
    ["invalid_client", "SIWA_INVALID_CLIENT"],
    ["invalid_grant", "SIWA_INVALID_GRANT"],
    ["unauthorized_client", "SIWA_UNAUTHORIZED_CLIENT"],
    ["unsupported_grant_type", "SIWA_UNSUPPORTED_GRANT_TYPE"],
    ["invalid_scope", "SIWA_INVALID_SCOPE"],
  ] as const)("Apple's 400 %s → %s, its description quoted", async (error, code) => {
    answerWith(400, { error, error_description: "The code has already been used." });
    const thrown = await refusal(
      exchangeSignInWithAppleCode({ ...apple, code: "c0.0.code" }),
      code,
    );
    expect(thrown.message).toContain(error);
    expect(thrown.message).toContain("The code has already been used.");
    expect(thrown.message).not.toContain("client.secret.jwt");
    expect(thrown.message).not.toContain("c0.0.code");
  });

  it.each([
    ["a 500 without a body", 500, "", "SIWA_REQUEST_FAILED"],
    [
      "a 400 with an unknown error",
      400,
      { error: "temporarily_unavailable" },
      "SIWA_REQUEST_FAILED",
    ],
    ["a 502 of HTML", 502, "<html>", "SIWA_REQUEST_FAILED"],
    ["a 200 that is not JSON", 200, "<html>", "SIWA_RESPONSE_MALFORMED"],
    ["a 200 that is an array", 200, [], "SIWA_RESPONSE_MALFORMED"],
    [
      "a 200 without access_token",
      200,
      { ...TOKENS, access_token: undefined },
      "SIWA_RESPONSE_MALFORMED",
    ],
    ["a 200 without token_type", 200, { ...TOKENS, token_type: 1 }, "SIWA_RESPONSE_MALFORMED"],
    [
      "a 200 with expires_in a string",
      200,
      { ...TOKENS, expires_in: "3600" },
      "SIWA_RESPONSE_MALFORMED",
    ],
    [
      "a 200 with refresh_token a number",
      200,
      { ...TOKENS, refresh_token: 1 },
      "SIWA_RESPONSE_MALFORMED",
    ],
    ["a 200 with id_token a number", 200, { ...TOKENS, id_token: 1 }, "SIWA_RESPONSE_MALFORMED"],
    [
      "a 200 over 64 KiB",
      200,
      { ...TOKENS, padding: "x".repeat(70_000) },
      "SIWA_RESPONSE_MALFORMED",
    ],
  ] as const)("%s → %s", async (_, status, body, code) => {
    answerWith(status, body);
    await refusal(exchangeSignInWithAppleCode({ ...apple, code: "c" }), code);
  });

  it("a slow answer fails with SIWA_REQUEST_FAILED after timeout", async () => {
    reply = (respond) => {
      respond(200, JSON.stringify(TOKENS), 3000);
    };
    const started = performance.now();
    await refusal(
      exchangeSignInWithAppleCode({ ...apple, code: "c", timeout: 200 }),
      "SIWA_REQUEST_FAILED",
    );
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("no connection fails with SIWA_REQUEST_FAILED, its cause kept", async () => {
    const error = await refusal(
      exchangeSignInWithAppleCode({
        ...apple,
        code: "c",
        fetchImpl: () => Promise.reject(new TypeError("fetch failed")),
      }),
      "SIWA_REQUEST_FAILED",
    );
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("a body that breaks off fails with SIWA_REQUEST_FAILED", async () => {
    const broken = new ReadableStream({
      pull: (controller) => {
        controller.error(new Error("reset"));
      },
    });
    await refusal(
      exchangeSignInWithAppleCode({
        ...apple,
        code: "c",
        fetchImpl: () => Promise.resolve(new Response(broken)),
      }),
      "SIWA_REQUEST_FAILED",
    );
  });

  it("the client secret provider's error passes through", async () => {
    await refusal(
      exchangeSignInWithAppleCode({
        ...apple,
        code: "c",
        clientSecret: () =>
          createSignInWithAppleSecret({ keyId, teamId, clientId, privateKey: "nope" }),
      }),
      "KEY_MALFORMED",
    );
  });

  it.each([
    ["a typo", { ...apple, code: "c", redirectURI: "x" }, "UNKNOWN_OPTION"],
    ["not an object", "code", "INVALID_OPTIONS"],
    ["code missing", { ...apple }, "INVALID_OPTIONS"],
    ["code blank", { ...apple, code: " " }, "INVALID_OPTIONS"],
    ["redirectUri empty", { ...apple, code: "c", redirectUri: "" }, "INVALID_OPTIONS"],
    ["clientId a URL", { ...apple, code: "c", clientId: "https://x.y" }, "INVALID_CLIENT_ID"],
    ["clientSecret missing", { ...apple, code: "c", clientSecret: undefined }, "INVALID_OPTIONS"],
    [
      "clientSecret returning a number",
      { ...apple, code: "c", clientSecret: () => 1 },
      "INVALID_OPTIONS",
    ],
    ["timeout 0", { ...apple, code: "c", timeout: 0 }, "INVALID_OPTIONS"],
    ["fetchImpl not a function", { ...apple, code: "c", fetchImpl: "fetch" }, "INVALID_OPTIONS"],
  ])("%s → %s", async (_, options, code) => {
    seen = [];
    await refusal(exchangeSignInWithAppleCode(options as never), code as AscTokenErrorCode);
    expect(seen).toStrictEqual([]);
  });
});

describe("refreshSignInWithAppleToken", () => {
  it("posts client_id, client_secret, grant_type refresh_token and refresh_token", async () => {
    seen = [];
    const refreshed = { access_token: "a1", token_type: "Bearer", expires_in: 3600 };
    answerWith(200, refreshed);
    await expect(
      refreshSignInWithAppleToken({ ...apple, refreshToken: "r0.0.abcd.refresh" }),
    ).resolves.toStrictEqual(refreshed);
    expect(seen[0]).toStrictEqual(
      posted("/auth/token", [
        ["client_id", clientId],
        ["client_secret", "client.secret.jwt"],
        ["grant_type", "refresh_token"],
        ["refresh_token", "r0.0.abcd.refresh"],
      ]),
    );
  });

  it("a revoked refresh token → SIWA_INVALID_GRANT", async () => {
    answerWith(400, { error: "invalid_grant" });
    await refusal(
      refreshSignInWithAppleToken({ ...apple, refreshToken: "r" }),
      "SIWA_INVALID_GRANT",
    );
  });

  it("refreshToken missing → INVALID_OPTIONS", async () => {
    await refusal(refreshSignInWithAppleToken({ ...apple } as never), "INVALID_OPTIONS");
  });
});

describe("revokeSignInWithAppleToken", () => {
  it("posts client_id, client_secret, token and token_type_hint to /auth/revoke; 200 resolves", async () => {
    seen = [];
    answerWith(200, "");
    await expect(
      revokeSignInWithAppleToken({
        ...apple,
        clientSecret: { getToken: () => Promise.resolve("provided.secret") },
        token: "r0.0.abcd.refresh",
        tokenTypeHint: "refresh_token",
      }),
    ).resolves.toBeUndefined();
    expect(seen[0]).toStrictEqual(
      posted("/auth/revoke", [
        ["client_id", clientId],
        ["client_secret", "provided.secret"],
        ["token", "r0.0.abcd.refresh"],
        ["token_type_hint", "refresh_token"],
      ]),
    );
  });

  it("sends no token_type_hint when none is given", async () => {
    seen = [];
    answerWith(200, "");
    await revokeSignInWithAppleToken({ ...apple, token: "a0.0.abcd.access" });
    expect(seen[0]!.form.map(([name]) => name)).toStrictEqual([
      "client_id",
      "client_secret",
      "token",
    ]);
  });

  it("invalid_client → SIWA_INVALID_CLIENT with the fix", async () => {
    answerWith(400, { error: "invalid_client" });
    const error = await refusal(
      revokeSignInWithAppleToken({ ...apple, token: "t" }),
      "SIWA_INVALID_CLIENT",
    );
    expect(error.message).toContain("clientId");
  });

  it("tokenTypeHint other than Apple's two → INVALID_OPTIONS", async () => {
    await refusal(
      revokeSignInWithAppleToken({ ...apple, token: "t", tokenTypeHint: "id_token" as never }),
      "INVALID_OPTIONS",
    );
  });
});
