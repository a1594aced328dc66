// mapkit: Apple Maps tokens for MapKit JS, Maps Web Snapshots, the Maps Embed API and the Maps
// Server API.
//
// Apple, "Creating and using tokens with Maps Server API" (linked from docs/apple-tokens.md)
// says: header alg "ES256", kid, typ "JWT"; claims iss (Team ID), iat, exp, scope ("A
// space-separated list of one or more Apple Maps frameworks": server_api, mapkit_js, web_snapshots,
// embed_api) and origin ("a domain pattern such as *.example.com, a specific domain such as
// example.com, or a comma-separated list of origins"; "The token requires an origin when the scope
// includes mapkit_js, web_snapshots, or embed_api"). Apple states no maximum lifetime for a signed
// token (its dashboard offers Maps tokens of 30, 90 or 180 days, or none:
// https://developer.apple.com/documentation/mapkitjs/creating-a-maps-token), so we default to an
// hour and cap at six months (15,777,000 s, just over 182 days).

import { fail } from "../lib/errors.js";
import {
  type TeamKeyOptions,
  type KindMint,
  type TokenKind,
  OUR_SIX_MONTH_CAP,
  defineToken,
  lasting,
} from "./kind.js";
import { oneOrMany, validOrigins, validTeamId } from "../lib/validate.js";

/**
 * An Apple Maps framework a token may be used for; its claim `scope` lists them.
 *
 * @example
 * ```ts
 * const scope: MapKitScope[] = ["mapkit_js", "web_snapshots"];
 * ```
 */
export type MapKitScope = "server_api" | "mapkit_js" | "web_snapshots" | "embed_api";

/**
 * Options for {@link createMapKitToken}. Nothing here is mutated or kept.
 *
 * @example
 * ```ts
 * const options: MapKitTokenOptions = {
 *   keyId,
 *   teamId,
 *   privateKey: pem,
 *   scope: "mapkit_js",
 *   origin: "https://example.com",
 * };
 * ```
 */
export interface MapKitTokenOptions extends TeamKeyOptions {
  /**
   * Lifetime in seconds, `exp − iat`. Default 3600; at most 15,777,000
   * (Apple states no limit; ours).
   */
  expiresIn?: number | undefined;
  /**
   * Frameworks the token is for, e.g. `"server_api"` or `["mapkit_js"]`. Claim `scope`,
   * space-separated.
   */
  scope?: MapKitScope | readonly MapKitScope[] | undefined;
  /**
   * Origins allowed to use the token, e.g. `"https://example.com"`, `"*.example.com"` or an
   * array of them. Claim `origin`, comma-separated. Required when `scope` has a web framework.
   */
  origin?: string | readonly string[] | undefined;
}

const SCOPES: readonly string[] = ["server_api", "mapkit_js", "web_snapshots", "embed_api"];

/** `scope`: one Maps framework or a non-empty array of them, copied; undefined when absent. */
const mapsScope = (scope: unknown): string[] | undefined => {
  if (scope === undefined) return undefined;
  const list = oneOrMany(scope);
  if (
    list.length === 0 ||
    !list.every((entry) => typeof entry === "string" && SCOPES.includes(entry))
  ) {
    throw fail(
      "INVALID_SCOPE",
      'scope must be "server_api", "mapkit_js", "web_snapshots" or "embed_api", or a non-empty ' +
        "array of them",
    );
  }
  return list as string[];
};

/** The Apple Maps token kind: the rules of {@link createMapKitToken}, as data. */
export const mapKitKind: TokenKind<MapKitTokenOptions, "mapkit"> = {
  name: "mapkit",
  create: "createMapKitToken",
  title: "MapKit token",
  claims: { refuses: "MapKit answers 401", iss: "team" },
  options: { teamId: true, expiresIn: false, scope: false, origin: false },
  lifetime: OUR_SIX_MONTH_CAP,
  build: (options) => {
    const iss = validTeamId(options.teamId);
    const scope = mapsScope(options.scope);
    const origin = validOrigins(options.origin);
    if (!origin && scope?.some((entry) => entry !== "server_api")) {
      throw fail(
        "INVALID_ORIGIN",
        "origin is required when scope includes mapkit_js, web_snapshots or embed_api",
      );
    }
    const { iat, exp } = lasting(options, mapKitKind.lifetime);
    return {
      header: { typ: "JWT" },
      claims: {
        iss,
        iat,
        exp,
        ...(scope && { scope: scope.join(" ") }),
        ...(origin && { origin: origin.join(",") }),
      },
    };
  },
};

/**
 * Mints an Apple Maps token: header `{alg, kid, typ}`, claims `iss` (Team ID), `iat`, `exp` and,
 * if given, `scope` (space-separated) and `origin` (comma-separated). `exp − iat` is `expiresIn`
 * (default 3600 s, at most 15,777,000 s); `iat` is backdated by `clockTolerance` (60 s).
 *
 * @example
 * ```ts
 * import { createMapKitToken } from "asc-token";
 * const token = await createMapKitToken({
 *   keyId: "2X9R4HXF34",
 *   teamId: "DEF123GHIJ",
 *   privateKey: process.env.MAPS_PRIVATE_KEY!,
 *   scope: "server_api",
 * });
 * const { accessToken } = await (await fetch("https://maps-api.apple.com/v1/token", {
 *   headers: { Authorization: `Bearer ${token}` },
 * })).json();
 * ```
 */
export const createMapKitToken: KindMint<MapKitTokenOptions, "mapkit"> =
  /* @__PURE__ */ defineToken(mapKitKind);
