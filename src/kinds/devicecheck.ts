// devicecheck: tokens for the DeviceCheck server API (per-device bits, App Attest's fraud metric).
//
// Apple, "Accessing and modifying per-device data",
// https://developer.apple.com/documentation/devicecheck/accessing-and-modifying-per-device-data :
// "To create this token, you can use the same steps you use to create a provider authentication
// token for Apple Push Notification service (APNs)". Apple states no lifetime of its own for
// DeviceCheck, so the token is exactly the APNs one (iss, iat; no exp) and shares its rules.

import { apnsKind } from "./apns.js";
import { type KindMint, type TeamKeyOptions, type TokenKind, defineToken } from "./kind.js";

/**
 * Options for {@link createDeviceCheckToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: DeviceCheckTokenOptions = {
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   privateKey: pem,
 * };
 * ```
 */
export type DeviceCheckTokenOptions = TeamKeyOptions;

/** The DeviceCheck token kind: APNs's, under its own name. */
export const deviceCheckKind: TokenKind<DeviceCheckTokenOptions, "devicecheck"> =
  /* @__PURE__ */ Object.assign({}, apnsKind, {
    name: "devicecheck" as const,
    create: "createDeviceCheckToken",
    title: "DeviceCheck token",
    claims: { refuses: "DeviceCheck answers 401", iss: "team" as const },
  });

/**
 * Mints a DeviceCheck token: header `{alg, kid}`, claims `iss` (Team ID) and `iat` (backdated by
 * `clockTolerance`, 60 s), no `exp`, as Apple says to build it like an APNs provider token.
 *
 * @example
 * ```ts
 * import { createDeviceCheckToken } from "asc-token";
 * const token = await createDeviceCheckToken({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   privateKey,
 * });
 * await fetch("https://api.devicecheck.apple.com/v1/query_two_bits", {
 *   method: "POST",
 *   headers: { Authorization: `Bearer ${token}` },
 *   body: JSON.stringify({
 *     device_token,
 *     transaction_id: crypto.randomUUID(),
 *     timestamp: Date.now(),
 *   }),
 * });
 * ```
 */
export const createDeviceCheckToken: KindMint<DeviceCheckTokenOptions, "devicecheck"> =
  /* @__PURE__ */ defineToken(deviceCheckKind);
