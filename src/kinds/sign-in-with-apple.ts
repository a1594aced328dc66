// sign-in-with-apple: the client secret your server sends to Apple's token endpoint.
//
// Apple, "Creating a client secret" (and the older page, "Generate and validate tokens"; both
// linked from docs/apple-tokens.md):
// header alg "ES256", kid; claims iss (Team ID), iat, exp, aud "https://appleid.apple.com", sub
// (the App ID or Services ID "that you use as the client_id"). "It's an error to request an
// expiration time more than 15777000 seconds (six months) in the future, as measured by the clock
// on Apple's servers." The default is an hour: mint secrets as you need them rather than keeping
// one for six months.

import {
  type TeamKeyOptions,
  type KindMint,
  type TokenKind,
  atMost,
  defineToken,
  lasting,
} from "./kind.js";
import { validIdentifier, validTeamId } from "../lib/validate.js";
import { SIX_MONTHS } from "../lib/defaults.js";

/**
 * Options for {@link createSignInWithAppleSecret}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: SignInWithAppleSecretOptions = {
 *   keyId,
 *   teamId,
 *   clientId: "com.example.web",
 *   privateKey: pem,
 * };
 * ```
 */
export interface SignInWithAppleSecretOptions extends TeamKeyOptions {
  /** The App ID or Services ID you send as `client_id`, e.g. `com.example.web`. Claim `sub`. */
  clientId: string;
  /**
   * Lifetime in seconds, `exp − iat`. Default 3600; at most 15,777,000
   * (six months, Apple's limit).
   */
  expiresIn?: number | undefined;
}

/** The Sign in with Apple client secret kind: the rules of {@link createSignInWithAppleSecret}. */
export const signInWithAppleKind: TokenKind<SignInWithAppleSecretOptions, "sign-in-with-apple"> = {
  name: "sign-in-with-apple",
  create: "createSignInWithAppleSecret",
  title: "Sign in with Apple client secret",
  claims: {
    refuses: "Apple's token endpoint answers invalid_client",
    iss: "team",
    aud: ["https://appleid.apple.com"],
    sub: "the App ID or Services ID you send as client_id",
  },
  options: { teamId: true, clientId: true, expiresIn: false },
  lifetime: {
    default: 3600,
    problem: /* @__PURE__ */ atMost(
      SIX_MONTHS,
      "Apple refuses client secrets that expire over six months ahead",
    ),
  },
  build: (options) => {
    const iss = validTeamId(options.teamId);
    const what = "the App ID or Services ID you use as client_id";
    const sub = validIdentifier(options.clientId, "clientId", what);
    const { iat, exp } = lasting(options, signInWithAppleKind.lifetime);
    return { claims: { iss, iat, exp, aud: "https://appleid.apple.com", sub } };
  },
};

/**
 * Mints a Sign in with Apple client secret: header `{alg, kid}`, claims `iss` (Team ID), `iat`,
 * `exp`, `aud: "https://appleid.apple.com"` and `sub` (your client ID). `exp − iat` is
 * `expiresIn` (default 3600 s, at most 15,777,000 s); `iat` is backdated by `clockTolerance`
 * (60 s).
 *
 * @example
 * ```ts
 * import { createSignInWithAppleSecret } from "asc-token";
 * const clientSecret = await createSignInWithAppleSecret({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   clientId: "com.example.web",
 *   privateKey: process.env.SIWA_PRIVATE_KEY!,
 * });
 * await fetch("https://appleid.apple.com/auth/token", {
 *   method: "POST",
 *   body: new URLSearchParams({
 *     client_id: "com.example.web",
 *     client_secret: clientSecret,
 *     code,
 *     grant_type: "authorization_code",
 *   }),
 * });
 * ```
 */
export const createSignInWithAppleSecret: KindMint<
  SignInWithAppleSecretOptions,
  "sign-in-with-apple"
> = /* @__PURE__ */ defineToken(signInWithAppleKind);
