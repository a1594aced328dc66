// weatherkit: WeatherKit REST API tokens.
//
// Apple, "Request authentication for WeatherKit REST API" (linked from docs/apple-tokens.md)
// says: header alg "ES256" ("WeatherKit only supports developer tokens signed with the ES256
// algorithm"), kid, and id: "An identifier that consists of your 10-character Team ID and Service
// ID, separated by a period"; claims iss (Team ID), iat, exp, sub ("your registered Service ID"),
// and "Ensure that the token contains only the claims listed". Apple states no maximum lifetime
// ("Longer times require less overhead, but shorter times ensure a higher level of security"), so
// we default to an hour and cap at six months, the longest Apple allows any other developer token
// signed by these keys (Apple Music, Sign in with Apple).

import {
  type TeamKeyOptions,
  type KindMint,
  type TokenKind,
  OUR_SIX_MONTH_CAP,
  defineToken,
  lasting,
} from "./kind.js";
import { validIdentifier, validTeamId } from "../lib/validate.js";

/**
 * Options for {@link createWeatherKitToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: WeatherKitTokenOptions = {
 *   keyId,
 *   teamId,
 *   serviceId: "com.example.weather",
 *   privateKey: pem,
 * };
 * ```
 */
export interface WeatherKitTokenOptions extends TeamKeyOptions {
  /**
   * Your WeatherKit Services ID, e.g. `com.example.weather`. Claim `sub`, and after the period in
   * the header's `id`.
   */
  serviceId: string;
  /**
   * Lifetime in seconds, `exp − iat`. Default 3600; at most 15,777,000
   * (Apple states no limit; ours).
   */
  expiresIn?: number | undefined;
}

/** The WeatherKit token kind: the rules of {@link createWeatherKitToken}, as data. */
export const weatherKitKind: TokenKind<WeatherKitTokenOptions, "weatherkit"> = {
  name: "weatherkit",
  create: "createWeatherKitToken",
  title: "WeatherKit token",
  claims: {
    refuses: "WeatherKit answers 401",
    iss: "team",
    sub: "your WeatherKit Services ID",
    headerId: true,
  },
  options: { teamId: true, serviceId: true, expiresIn: false },
  lifetime: OUR_SIX_MONTH_CAP,
  build: (options) => {
    const iss = validTeamId(options.teamId);
    const sub = validIdentifier(options.serviceId, "serviceId", "your WeatherKit Services ID");
    const { iat, exp } = lasting(options, weatherKitKind.lifetime);
    return { header: { id: `${iss}.${sub}` }, claims: { iss, iat, exp, sub } };
  },
};

/**
 * Mints a WeatherKit REST API token: header `{alg, kid, id: "TEAMID.SERVICEID"}`, claims `iss`
 * (Team ID), `iat`, `exp` and `sub` (Services ID), nothing else. `exp − iat` is `expiresIn`
 * (default 3600 s, at most 15,777,000 s); `iat` is backdated by `clockTolerance` (60 s).
 *
 * @example
 * ```ts
 * import { createWeatherKitToken } from "asc-token";
 * const token = await createWeatherKitToken({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   serviceId: "com.example.weather",
 *   privateKey: process.env.WEATHERKIT_PRIVATE_KEY!,
 * });
 * await fetch(
 *   "https://weatherkit.apple.com/api/v1/weather/en/51.5/-0.12?dataSets=currentWeather",
 *   {
 *     headers: { Authorization: `Bearer ${token}` },
 *   },
 * );
 * ```
 */
export const createWeatherKitToken: KindMint<WeatherKitTokenOptions, "weatherkit"> =
  /* @__PURE__ */ defineToken(weatherKitKind);
