// help: the text of `asc-token --help`, with the kinds listed from TOKEN_KINDS (cli/kinds.ts).

import { MINT_KINDS } from "./kinds.js";

const width = Math.max(...Object.keys(MINT_KINDS).map((name) => name.length));
const kinds = Object.entries(MINT_KINDS)
  .map(([name, kind]) => {
    const flags = kind.flags.map((flag) => `--${flag}`).join(" ");
    return `  ${name.padEnd(width)} ${kind.title}\n  ${" ".repeat(width)} ${flags}`;
  })
  .join("\n");

const lifetimes = Object.entries(MINT_KINDS)
  .flatMap(([name, kind]) =>
    kind.lifetime === undefined ? [] : [`${" ".repeat(25)}${name}: ${kind.lifetime}`],
  )
  .join("\n");

/** The kinds without exp, which Apple dates by iat alone. */
const ageOnly = Object.entries(MINT_KINDS)
  .filter(([, kind]) => kind.lifetime === undefined)
  .map(([name]) => name)
  .join(" and ");

export const HELP = `asc-token: mint Apple's ES256 JWTs from your .p8 key: App Store Connect,
App Store Server, APNs, Sign in with Apple, MusicKit, WeatherKit, MapKit, DeviceCheck, and the
OAuth client assertions of Apple Business Manager and Apple Ads.

Usage:
  asc-token [<kind>] [options]   print a token (and only the token) on stdout; the kind
                                 defaults to app-store-connect (--kind <kind> says it too)
  asc-token decode <token|->     print a token's header and claims as JSON, with readable times
  asc-token doctor [--kind <kind>] <token|->
                                 list what Apple would reject in a token; exit 1 if anything.
                                 The kind is guessed from the token (aud, bid, iss, ...) unless
                                 given; doctor also knows in-app (the in-app JWS)
  asc-token demo                 mint, decode and verify a token with a throwaway key
                                 (with a key configured in the environment: print a real token)
  asc-token --help | --version

Kinds, each with the flags it takes beyond the shared ones:
${kinds}

Shared options (flags beat --api-key-json, which beats the environment):
  --key-id <ID>          key ID, 10 characters A-Z0-9            env ASC_KEY_ID
                         (apple-business-manager, apple-ads: the Key ID the portal shows)
  --key-file <path>      the AuthKey_<KEYID>.p8 file             env ASC_PRIVATE_KEY_PATH
                         (apple-business-manager, apple-ads: the .pem key you made)
                         (or the key itself in env ASC_PRIVATE_KEY, any format: PEM,
                         literal \\n escapes, bare base64, base64 of the whole file).
                         A leading ~ is your home directory, also where no shell expands it
  --json                 print { token, issuedAt, expiresAt } instead of the token
  --header               print "Authorization: Bearer <token>" instead of the token

Options of some kinds:
  --issuer-id <UUID>     issuer ID (App Store Connect, App Store Server)  env ASC_ISSUER_ID
  --individual           App Store Connect individual key: no issuer, sub "user"
  --team-id <ID>         your Team ID, 10 characters A-Z0-9      env ASC_TEAM_ID
                         (apple-ads: the teamId Apple Ads shows, SEARCHADS.…)
  --bundle-id <ID>       your app's bundle ID (App Store Server)  env ASC_BUNDLE_ID
  --client-id <ID>       Sign in with Apple client_id (App ID or Services ID)  env ASC_CLIENT_ID
                         (apple-business-manager, apple-ads: the client ID the portal shows)
  --service-id <ID>      WeatherKit Services ID                  env ASC_SERVICE_ID
  --expires-in <s>       lifetime exp - iat in seconds; per kind:
${lifetimes}
                         (${ageOnly} tokens have no exp: APNs takes one for an hour)
  --scope <entry>        App Store Connect: limit the token, e.g. "GET /v1/apps"; MapKit:
                         server_api, mapkit_js, web_snapshots, embed_api (repeatable)
  --origin <origin>      MusicKit, MapKit: a web origin allowed to use the token (repeatable)
  --enterprise           Enterprise Program API audience (apple-developer-enterprise-v1)
  --api-key-json <path>  fastlane's API key JSON: key_id, issuer_id, key, duration, in_house

fastlane's variables are read for app-store-connect: APP_STORE_CONNECT_API_KEY_KEY_ID,
_ISSUER_ID, _KEY, _KEY_FILEPATH, _IS_KEY_CONTENT_BASE64 (base64 is detected either way),
_DURATION, _IN_HOUSE. When no key ID is given, it is taken from a key file named
AuthKey_<KEYID>.p8 (or SubscriptionKey_<KEYID>.p8).

Examples:
  asc-token --issuer-id 57246542-96fe-1a63-e053-0824d011072a --key-file ~/keys/AuthKey_2X9R4HXF34.p8
  curl -H "Authorization: Bearer $(npx asc-token)" https://api.appstoreconnect.apple.com/v1/apps
  curl -H "$(npx asc-token --header)" https://api.appstoreconnect.apple.com/v1/apps
  asc-token apns --team-id DEF123GHIJ --key-file AuthKey_2X9R4HXF34.p8
  asc-token app-store-server --bundle-id com.example.app --key-file SubscriptionKey_2X9R4HXF34.p8
  asc-token apple-business-manager --client-id BUSINESSAPI.9703f56c-10ce-4876-8f59-e78e5e23a152 \\
    --key-id d136aa66-0c3b-4bd4-9892-c20e8db024ab --key-file abm-key.pem
  npx asc-token | npx asc-token doctor -
  asc-token doctor --kind apns "$APNS_TOKEN"

Exit status: 0 success, 1 runtime error (a key that cannot be used, a token with findings),
2 usage error (an unknown flag, a missing setting or one Apple would refuse: an ID of the
wrong shape, a lifetime over the limit). Errors name the setting to fix and never print key
material.
`;
