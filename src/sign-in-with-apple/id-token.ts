// id-token: the claims of a Sign in with Apple identity token, read and typed.
//
// Apple, "Authenticating users with Sign in with Apple" (Retrieve the user's information from
// Apple ID servers) and the id_token page of Sign in with Apple JS: iss, sub (the user's stable
// identifier), aud (your client_id), iat, exp, nonce ("present only if passed during the
// authorization request"), nonce_supported, email, email_verified and is_private_email ("a String
// or Boolean value"), real_user_status (0 Unsupported, 1 Unknown, 2 LikelyReal), transfer_sub
// (the user's identifier while an app is transferred between teams). Apple, "Verifying a user":
// "Verify the nonce for the authentication": the nonce checked is the caller's, exactly.

import { fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import { type Expected, checkIssued, defined, flag, text } from "./jwt.js";

/**
 * The verified claims of a Sign in with Apple identity token, by Apple's names, with
 * `email_verified` and `is_private_email` always booleans (Apple sends either a boolean or the
 * string `"true"`/`"false"`). Claims Apple adds later are kept on the object but not typed.
 *
 * @example
 * ```ts
 * const user: SignInWithAppleIdToken = await verifier.verifyIdToken(idToken);
 * if (user.email_verified) console.log(user.sub, user.email);
 * ```
 */
export interface SignInWithAppleIdToken {
  /** Always `"https://appleid.apple.com"`. */
  iss: "https://appleid.apple.com";
  /** The user's stable identifier for your team: the key to store. */
  sub: string;
  /** The client ID (App ID or Services ID) the token is for: one of yours. */
  aud: string;
  /** Issued at, epoch seconds. */
  iat: number;
  /** Expires at, epoch seconds. */
  exp: number;
  /** The nonce of the authorization request, when one was sent. */
  nonce?: string;
  /** Whether the platform supports nonces. */
  nonce_supported?: boolean;
  /** The user's email: real or a private relay address. */
  email?: string;
  /** Whether Apple verified the email (normalised from `"true"`/`"false"`). */
  email_verified?: boolean;
  /** Whether the email is a private relay address (normalised from `"true"`/`"false"`). */
  is_private_email?: boolean;
  /** 0 Unsupported, 1 Unknown, 2 LikelyReal (Apple's real user indicator). */
  real_user_status?: number;
  /** The user's identifier in the team the app is being transferred from. */
  transfer_sub?: string;
  /** When the user authenticated, epoch seconds. */
  auth_time?: number;
}

/**
 * Per-call options of {@link SignInWithAppleVerifier.verifyIdToken}.
 *
 * @example
 * ```ts
 * const options: VerifyIdTokenOptions = { nonce: session.nonce };
 * ```
 */
export interface VerifyIdTokenOptions {
  /**
   * The nonce your authorization request sent, exactly (for a native app, that is usually the
   * SHA-256 hex of the raw nonce). Given, the token must carry it; left out, it is not checked.
   */
  nonce?: string | undefined;
}

const WHAT = "identity token";

/** The typed claims of a signature-checked identity token; SIWA_* errors for each wrong claim. */
export const readIdToken = (
  claims: Record<string, unknown>,
  expected: Expected,
  nonce: string | undefined,
): SignInWithAppleIdToken => {
  checkIssued(claims, WHAT, expected);
  if (typeof claims.sub !== "string" || !claims.sub) {
    throw fail("SIWA_CLAIM_INVALID", `the ${WHAT}'s sub is ${showValue(claims.sub)}`);
  }
  if (nonce !== undefined && claims.nonce !== nonce) {
    throw fail(
      "SIWA_NONCE_MISMATCH",
      claims.nonce === undefined
        ? `the ${WHAT} has no nonce, but one was expected ` +
            `(nonce_supported: ${showValue(claims.nonce_supported)})`
        : `the ${WHAT}'s nonce is not the one given: a replayed or another session's token`,
    );
  }
  const status = claims.real_user_status;
  if (status !== undefined && !Number.isSafeInteger(status)) {
    throw fail("SIWA_CLAIM_INVALID", `the ${WHAT}'s real_user_status is ${showValue(status)}`);
  }
  const authTime = claims.auth_time;
  if (authTime !== undefined && !Number.isSafeInteger(authTime)) {
    throw fail("SIWA_CLAIM_INVALID", `the ${WHAT}'s auth_time is ${showValue(authTime)}`);
  }
  const read: Record<string, unknown> = {
    ...claims,
    nonce: text(claims.nonce, "nonce", WHAT),
    nonce_supported: flag(claims.nonce_supported, "nonce_supported", WHAT),
    email: text(claims.email, "email", WHAT),
    email_verified: flag(claims.email_verified, "email_verified", WHAT),
    is_private_email: flag(claims.is_private_email, "is_private_email", WHAT),
    transfer_sub: text(claims.transfer_sub, "transfer_sub", WHAT),
  };
  return defined(read) as unknown as SignInWithAppleIdToken;
};
