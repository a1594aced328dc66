// notifications: Sign in with Apple's server-to-server notifications, read and typed.
//
// Apple, "Processing changes for Sign in with Apple accounts": Apple POSTs to the endpoint you
// register a JSON body whose `payload` is a JWS signed by Apple; after validating its signature,
// act on the `type` in its `events` claim: email-disabled, email-enabled (the user turned email
// forwarding of Hide My Email off or on), consent-revoked (the user stopped using their Apple
// Account with your app), account-delete (the user asked Apple to delete their Apple Account).
// `events` arrives as a JSON *string* holding one object { type, sub, event_time (epoch ms),
// email?, is_private_email? }. Apple's page shows no full payload: the body's shape, the string
// form of `events` and the literal `account-delete` are as Apple's servers send them and as
// Apple's forums and peers report (docs/sign-in-with-apple.md), not from a schema of Apple's.

import { fail } from "../lib/errors.js";
import { showValue } from "../lib/redact.js";
import { type Expected, MAX_TOKEN, checkIssued, defined, flag, text } from "./jwt.js";

/**
 * One event of a Sign in with Apple server-to-server notification, by Apple's names, told apart
 * by `type`.
 *
 * @example
 * ```ts
 * const handle = (event: SignInWithAppleEvent) => {
 *   if (event.type === "consent-revoked" || event.type === "account-delete") {
 *     console.log("sign out", event.sub);
 *   }
 * };
 * ```
 */
export type SignInWithAppleEvent =
  | {
      /** Hide My Email forwarding turned off (`email-disabled`) or on (`email-enabled`). */
      type: "email-disabled" | "email-enabled";
      /** The user's identifier, as the identity token's `sub`. */
      sub: string;
      /** When it happened, epoch milliseconds. */
      event_time: number;
      /** The relay address concerned. */
      email?: string;
      /** Whether `email` is a private relay address (normalised from `"true"`/`"false"`). */
      is_private_email?: boolean;
    }
  | {
      /** The user stopped using your app with their Apple Account, or deleted that account. */
      type: "consent-revoked" | "account-delete";
      sub: string;
      event_time: number;
    };

/**
 * A verified Sign in with Apple server-to-server notification: the payload's claims, with
 * `events` parsed from the JSON string Apple sends into one typed event.
 *
 * @example
 * ```ts
 * const notification: SignInWithAppleNotification = await verifier.verifyNotification(body);
 * console.log(notification.events.type, notification.aud);
 * ```
 */
export interface SignInWithAppleNotification {
  iss: "https://appleid.apple.com";
  /** Your App ID the event is for. */
  aud: string;
  iat: number;
  exp: number;
  /** The notification's unique ID, when Apple sends one. */
  jti?: string;
  /** The event, parsed from the JSON string Apple sends. */
  events: SignInWithAppleEvent;
}

const WHAT = "notification";
const TYPES = ["email-disabled", "email-enabled", "consent-revoked", "account-delete"];

const malformed = (why: string) =>
  fail("SIWA_NOTIFICATION_MALFORMED", `the Sign in with Apple notification ${why}`);

/**
 * The `payload` JWS of a notification body: the request body as text (`await request.text()`)
 * or already parsed.
 */
export const payloadOf = (body: unknown): unknown => {
  let value = body;
  if (typeof value === "string") {
    if (value.length > MAX_TOKEN + 64) throw malformed(`body is over ${MAX_TOKEN + 64} characters`);
    try {
      value = JSON.parse(value);
    } catch {
      throw malformed("body is not JSON");
    }
  }
  const payload = (value as { payload?: unknown } | null)?.payload;
  if (typeof value !== "object" || typeof payload !== "string") {
    throw malformed('body is not { "payload": "<JWS>" }');
  }
  return payload;
};

/** The one event of `events`, a JSON string (or, should Apple send it so, an object). */
const readEvent = (events: unknown): SignInWithAppleEvent => {
  let value = events;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      throw malformed("events claim is not a JSON string");
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw malformed(`events claim is ${showValue(value)}, not one event`);
  }
  const event = value as Record<string, unknown>;
  if (!TYPES.includes(event.type as string)) {
    throw malformed(`event type ${showValue(event.type)} is not one Apple documents`);
  }
  if (typeof event.sub !== "string" || !event.sub) {
    throw malformed(`event has sub ${showValue(event.sub)}`);
  }
  if (!Number.isSafeInteger(event.event_time)) {
    throw malformed(`event has event_time ${showValue(event.event_time)}`);
  }
  const read: Record<string, unknown> = { ...event };
  if (event.type === "email-disabled" || event.type === "email-enabled") {
    read.email = text(event.email, "email", WHAT);
    read.is_private_email = flag(event.is_private_email, "is_private_email", WHAT);
  }
  return defined(read) as unknown as SignInWithAppleEvent;
};

/** The typed notification of signature-checked claims. */
export const readNotification = (
  claims: Record<string, unknown>,
  expected: Expected,
): SignInWithAppleNotification => {
  checkIssued(claims, WHAT, expected);
  const jti = text(claims.jti, "jti", WHAT);
  const read = { ...claims, events: readEvent(claims.events) } as Record<string, unknown>;
  if (jti === undefined) delete read.jti;
  return read as unknown as SignInWithAppleNotification;
};
