// kinds: the token kinds the CLI mints, one row each: the library function that mints it, the
// flags it takes beyond the ones every kind shares, and how --help describes it. The one table:
// the parser, the settings, --help and the tests all read it.

import {
  createApnsToken,
  createAppStoreServerToken,
  createAscToken,
  createDeviceCheckToken,
  createMapKitToken,
  createMusicKitToken,
  createSignInWithAppleSecret,
  createWeatherKitToken,
} from "../index.js";

/** The flags only some kinds take (every kind takes --key-id, --key-file, --json, --header). */
export type KindFlag =
  | "issuer-id"
  | "individual"
  | "team-id"
  | "bundle-id"
  | "client-id"
  | "service-id"
  | "expires-in"
  | "scope"
  | "origin"
  | "enterprise"
  | "api-key-json";

interface MintKind {
  /** The library function that mints the kind; the CLI passes it the options it resolved. */
  readonly create: (options: never) => Promise<string>;
  /** The kind in words, for --help and messages: "APNs provider tokens". */
  readonly title: string;
  /** The flags the kind takes beyond the shared ones. */
  readonly flags: readonly KindFlag[];
  /** Default lifetime and maximum, for --help; undefined for the kinds without exp. */
  readonly lifetime?: string;
}

/** Every kind the CLI mints, in the order --help lists them; the first is the default. */
export const MINT_KINDS = {
  "app-store-connect": {
    create: createAscToken,
    title: "App Store Connect API tokens",
    flags: ["issuer-id", "individual", "expires-in", "scope", "enterprise", "api-key-json"],
    lifetime: "default 1140, max 1200 (long-lived --scope: 15777000)",
  },
  "app-store-server": {
    create: createAppStoreServerToken,
    title: "App Store Server API tokens",
    flags: ["issuer-id", "bundle-id", "expires-in"],
    lifetime: "default 300, max 3600",
  },
  apns: { create: createApnsToken, title: "APNs provider tokens", flags: ["team-id"] },
  "sign-in-with-apple": {
    create: createSignInWithAppleSecret,
    title: "Sign in with Apple client secrets",
    flags: ["team-id", "client-id", "expires-in"],
    lifetime: "default 3600, max 15777000",
  },
  musickit: {
    create: createMusicKitToken,
    title: "MusicKit developer tokens",
    flags: ["team-id", "expires-in", "origin"],
    lifetime: "default 3600, max 15777000",
  },
  weatherkit: {
    create: createWeatherKitToken,
    title: "WeatherKit tokens",
    flags: ["team-id", "service-id", "expires-in"],
    lifetime: "default 3600, max 15777000",
  },
  mapkit: {
    create: createMapKitToken,
    title: "MapKit tokens",
    flags: ["team-id", "expires-in", "scope", "origin"],
    lifetime: "default 3600, max 15777000",
  },
  devicecheck: {
    create: createDeviceCheckToken,
    title: "DeviceCheck tokens",
    flags: ["team-id"],
  },
} as const satisfies Record<string, MintKind>;

/** A kind's name, as typed after `asc-token` or given to --kind. */
export type KindName = keyof typeof MINT_KINDS;

export const KIND_NAMES = Object.keys(MINT_KINDS) as KindName[];

export const isKindName = (name: string): name is KindName => Object.hasOwn(MINT_KINDS, name);

/** The kinds that take `flag`, for "--bundle-id is for app-store-server tokens". */
export const kindsTaking = (flag: KindFlag): KindName[] =>
  KIND_NAMES.filter((name) => (MINT_KINDS[name].flags as readonly KindFlag[]).includes(flag));
