// oauth: Sign in with Apple's token endpoints. The authorization code (or a refresh token) is
// exchanged for tokens, and tokens are revoked, with a client secret (kinds/sign-in-with-apple.ts).
//
// Apple, "Generate and validate tokens" (POST https://appleid.apple.com/auth/token, form data):
// to validate an authorization code, client_id, client_secret, code, grant_type
// "authorization_code", and redirect_uri "only if the application provided a redirect_uri in the
// initial authorization request"; to validate a refresh token, client_id, client_secret,
// grant_type "refresh_token", refresh_token. Success is a TokenResponse: access_token, expires_in,
// id_token, refresh_token, token_type. Apple, "Revoke tokens" (POST
// https://appleid.apple.com/auth/revoke, content-type application/x-www-form-urlencoded):
// client_id, client_secret, token, token_type_hint ("refresh_token" or "access_token"); success is
// 200. Apple, "ErrorResponse": `error` is exactly one of invalid_request, invalid_client,
// invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope; each is one code here.
// Apple states no timeout or answer size: 10 s and 64 KiB are ours.

import { type AscTokenErrorCode, fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import type { FetchLike } from "../provider/fetch.js";
import { readOptions } from "../lib/options.js";
import { validIdentifier } from "../lib/validate.js";
import { request, wholeNumber } from "./http.js";
import { DEFAULT_REQUEST_TIMEOUT } from "../lib/defaults.js";

const TOKEN_URL = "https://appleid.apple.com/auth/token";
const REVOKE_URL = "https://appleid.apple.com/auth/revoke";
const MAX_BODY = 65_536;
const MAX_VALUE = 8192;

/**
 * The client secret sent as `client_secret`: the JWT itself, or a function or provider that
 * returns one when a request is made (so a cached secret is reused and renewed before it expires).
 *
 * @example
 * ```ts
 * const secret: SignInWithAppleClientSecret = () =>
 *   createSignInWithAppleSecret({ keyId, teamId, clientId: "com.example.web", privateKey });
 * ```
 */
export type SignInWithAppleClientSecret =
  string | (() => string | Promise<string>) | { getToken(): Promise<string> };

/**
 * What every call to Apple's token endpoints takes.
 *
 * @example
 * ```ts
 * const apple: SignInWithAppleClientOptions = {
 *   clientId: "com.example.web",
 *   clientSecret: createTokenProvider(createSignInWithAppleSecret, {
 *     keyId,
 *     teamId,
 *     clientId: "com.example.web",
 *     privateKey,
 *   }),
 * };
 * ```
 */
export interface SignInWithAppleClientOptions {
  /** Your App ID (native sign-in) or Services ID (web), as in the client secret's `sub`. */
  clientId: string;
  /** The client secret, or a function or provider returning it. */
  clientSecret: SignInWithAppleClientSecret;
  /** The `fetch` that calls Apple. Default: the global `fetch`, looked up at call time. */
  fetchImpl?: FetchLike | undefined;
  /** Milliseconds the call may take, answer included. Default 10000, at most 60000. */
  timeout?: number | undefined;
}

/**
 * Apple's TokenResponse, by Apple's names. A code exchange holds all five; a refresh usually no
 * `refresh_token` (the one you sent stays valid).
 *
 * @example
 * ```ts
 * const tokens: SignInWithAppleTokens = await exchangeSignInWithAppleCode({ ...apple, code });
 * ```
 */
export interface SignInWithAppleTokens {
  /** Reserved by Apple for future use. */
  access_token: string;
  /** `"Bearer"`. */
  token_type: string;
  /** Seconds the access token is valid. */
  expires_in: number;
  /** Store it to refresh and, when the user deletes their account, to revoke. */
  refresh_token?: string;
  /** The identity token: verify it with {@link createSignInWithAppleVerifier}. */
  id_token?: string;
}

const ERRORS: Record<string, AscTokenErrorCode> = {
  invalid_request: "SIWA_INVALID_REQUEST",
  invalid_client: "SIWA_INVALID_CLIENT",
  invalid_grant: "SIWA_INVALID_GRANT",
  unauthorized_client: "SIWA_UNAUTHORIZED_CLIENT",
  unsupported_grant_type: "SIWA_UNSUPPORTED_GRANT_TYPE",
  invalid_scope: "SIWA_INVALID_SCOPE",
};
const FIXES: Record<string, string> = {
  invalid_client:
    "check that clientId is the secret's sub, and the secret's teamId, keyId and expiry",
  invalid_grant:
    "the code is used, expired (5 minutes) or for another client or redirect_uri; " +
    "or the refresh token is revoked",
};

const COMMON = ["clientId", "clientSecret", "fetchImpl", "timeout"];

/** A non-empty string option of at most 8192 characters, or INVALID_OPTIONS. */
const value = (read: Record<string, unknown>, name: string): string => {
  const given = read[name];
  if (typeof given !== "string" || !given.trim() || given.length > MAX_VALUE) {
    throw fail("INVALID_OPTIONS", `${name} must be a non-empty string; got ${showValue(given)}`);
  }
  return given;
};

/** The client secret's current value. */
const secretOf = async (secret: unknown): Promise<string> => {
  const given =
    typeof secret === "function"
      ? await (secret as () => unknown)()
      : typeof (secret as { getToken?: unknown } | null)?.getToken === "function"
        ? await (secret as { getToken(): Promise<unknown> }).getToken()
        : secret;
  if (typeof given !== "string" || !given || given.length > MAX_VALUE) {
    throw fail(
      "INVALID_OPTIONS",
      "clientSecret must be the client secret JWT, or a function or provider returning it; " +
        // An empty or over-long string only: showValue never quotes the secret itself.
        `got ${showValue(given)}`,
    );
  }
  return given;
};

/** Posts `fields` (in this order) to `url`; Apple's answer as JSON, or its error as a code. */
const post = async (
  read: Record<string, unknown>,
  url: string,
  fields: [string, string | undefined][],
): Promise<Record<string, unknown>> => {
  const clientId = validIdentifier(read.clientId, "clientId", "your App ID or Services ID");
  const timeout = wholeNumber(read.timeout, DEFAULT_REQUEST_TIMEOUT, [1, 60_000], "timeout");
  if (read.fetchImpl !== undefined && typeof read.fetchImpl !== "function") {
    throw fail("INVALID_OPTIONS", `fetchImpl must be a function; got ${showValue(read.fetchImpl)}`);
  }
  const form = new URLSearchParams();
  form.set("client_id", clientId);
  form.set("client_secret", await secretOf(read.clientSecret));
  for (const [name, given] of fields) if (given !== undefined) form.set(name, given);
  const what = `POST ${url}`;
  const answer = await request(
    read.fetchImpl as FetchLike | undefined,
    url,
    {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Accept: "application/json",
      },
      body: form.toString(),
    },
    { timeoutMs: timeout, maxBytes: MAX_BODY },
    { failed: "SIWA_REQUEST_FAILED", tooLarge: "SIWA_RESPONSE_MALFORMED" },
    what,
  );
  let body: unknown;
  try {
    body = answer.text.trim() ? JSON.parse(answer.text) : {};
  } catch {
    body = undefined;
  }
  const error = (body as { error?: unknown } | undefined)?.error;
  const code =
    typeof error === "string" && Object.hasOwn(ERRORS, error) ? ERRORS[error] : undefined;
  if (code) {
    const description = (body as { error_description?: unknown }).error_description;
    const said = typeof description === "string" ? ` (${showValue(description)})` : "";
    const fix = FIXES[error as string];
    throw fail(
      code,
      `${what} answered ${answer.status} ${error as string}${said}${fix ? `: ${fix}` : ""}`,
    );
  }
  if (answer.status !== 200) {
    throw fail("SIWA_REQUEST_FAILED", `${what} answered ${answer.status}: call again later`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw fail("SIWA_RESPONSE_MALFORMED", `${what} answered 200 with a body that is not JSON`);
  }
  return body as Record<string, unknown>;
};

/** Apple's TokenResponse, checked. */
const tokensOf = (body: Record<string, unknown>, url: string): SignInWithAppleTokens => {
  const { access_token, token_type, expires_in, refresh_token, id_token } = body;
  const wrong =
    typeof access_token !== "string"
      ? "access_token"
      : typeof token_type !== "string"
        ? "token_type"
        : !Number.isSafeInteger(expires_in)
          ? "expires_in"
          : refresh_token !== undefined && typeof refresh_token !== "string"
            ? "refresh_token"
            : id_token !== undefined && typeof id_token !== "string"
              ? "id_token"
              : undefined;
  if (wrong) {
    throw fail("SIWA_RESPONSE_MALFORMED", `POST ${url} answered 200 without a valid ${wrong}`);
  }
  const tokens: SignInWithAppleTokens = {
    access_token: access_token as string,
    token_type: token_type as string,
    expires_in: expires_in as number,
  };
  if (refresh_token !== undefined) tokens.refresh_token = refresh_token as string;
  if (id_token !== undefined) tokens.id_token = id_token as string;
  return tokens;
};

/**
 * Exchanges an authorization code for tokens at `POST https://appleid.apple.com/auth/token`
 * (`grant_type=authorization_code`). Pass `redirectUri` only if the authorization request had
 * one (the web flow). Verify the returned `id_token` with {@link createSignInWithAppleVerifier};
 * store `refresh_token` to revoke it when the user deletes their account.
 *
 * Errors: Apple's `error` as `SIWA_INVALID_GRANT` (code used, expired or for another client),
 * `SIWA_INVALID_CLIENT`, `SIWA_INVALID_REQUEST`, `SIWA_UNAUTHORIZED_CLIENT`,
 * `SIWA_UNSUPPORTED_GRANT_TYPE`, `SIWA_INVALID_SCOPE`; `SIWA_REQUEST_FAILED` (no answer within
 * `timeout`, or another status), `SIWA_RESPONSE_MALFORMED`; `INVALID_OPTIONS`, `UNKNOWN_OPTION`,
 * `INVALID_CLIENT_ID`. No message shows a secret, a code or a token.
 *
 * @example
 * ```ts
 * import { createSignInWithAppleSecret, exchangeSignInWithAppleCode } from "asc-token";
 * const tokens = await exchangeSignInWithAppleCode({
 *   clientId: "com.example.web",
 *   clientSecret: () =>
 *     createSignInWithAppleSecret({ keyId, teamId, clientId: "com.example.web", privateKey }),
 *   code,
 *   redirectUri: "https://example.com/auth/apple",
 * });
 * ```
 */
export const exchangeSignInWithAppleCode = async (
  options: SignInWithAppleClientOptions & {
    /** The authorization code Apple sent your app (single use, valid five minutes). */
    code: string;
    /** The `redirect_uri` of the authorization request, when it had one. */
    redirectUri?: string | undefined;
  },
): Promise<SignInWithAppleTokens> => {
  const read = readOptions(
    options,
    [...COMMON, "code", "redirectUri"],
    "{ clientId, clientSecret, code }",
  );
  const code = value(read, "code");
  const redirectUri = read.redirectUri === undefined ? undefined : value(read, "redirectUri");
  const body = await post(read, TOKEN_URL, [
    ["code", code],
    ["grant_type", "authorization_code"],
    ["redirect_uri", redirectUri],
  ]);
  return tokensOf(body, TOKEN_URL);
};

/**
 * Validates a refresh token at `POST https://appleid.apple.com/auth/token`
 * (`grant_type=refresh_token`): a new access token while the user's authorization stands;
 * `SIWA_INVALID_GRANT` once it is revoked. Errors as {@link exchangeSignInWithAppleCode}.
 *
 * @example
 * ```ts
 * import { refreshSignInWithAppleToken } from "asc-token";
 * declare const apple: SignInWithAppleClientOptions;
 * declare const storedRefreshToken: string;
 * const { access_token } = await refreshSignInWithAppleToken({
 *   ...apple,
 *   refreshToken: storedRefreshToken,
 * });
 * ```
 */
export const refreshSignInWithAppleToken = async (
  options: SignInWithAppleClientOptions & {
    /** The `refresh_token` of a code exchange. */
    refreshToken: string;
  },
): Promise<SignInWithAppleTokens> => {
  const read = readOptions(
    options,
    [...COMMON, "refreshToken"],
    "{ clientId, clientSecret, refreshToken }",
  );
  const refreshToken = value(read, "refreshToken");
  const body = await post(read, TOKEN_URL, [
    ["grant_type", "refresh_token"],
    ["refresh_token", refreshToken],
  ]);
  return tokensOf(body, TOKEN_URL);
};

/**
 * Revokes a refresh or access token at `POST https://appleid.apple.com/auth/revoke`, as Apple
 * requires when a user deletes their account. Resolves when Apple answers 200. Errors as
 * {@link exchangeSignInWithAppleCode}.
 *
 * @example
 * ```ts
 * import { revokeSignInWithAppleToken } from "asc-token";
 * declare const apple: SignInWithAppleClientOptions;
 * declare const storedRefreshToken: string;
 * await revokeSignInWithAppleToken({
 *   ...apple,
 *   token: storedRefreshToken,
 *   tokenTypeHint: "refresh_token",
 * });
 * ```
 */
export const revokeSignInWithAppleToken = async (
  options: SignInWithAppleClientOptions & {
    /** The refresh token (or access token) to revoke. */
    token: string;
    /** Which kind `token` is. Optional. */
    tokenTypeHint?: "refresh_token" | "access_token" | undefined;
  },
): Promise<void> => {
  const read = readOptions(
    options,
    [...COMMON, "token", "tokenTypeHint"],
    "{ clientId, clientSecret, token }",
  );
  const token = value(read, "token");
  const hint = read.tokenTypeHint;
  if (hint !== undefined && hint !== "refresh_token" && hint !== "access_token") {
    throw fail(
      "INVALID_OPTIONS",
      `tokenTypeHint must be "refresh_token" or "access_token"; got ${showValue(hint)}`,
    );
  }
  await post(read, REVOKE_URL, [
    ["token", token],
    ["token_type_hint", hint],
  ]);
};
