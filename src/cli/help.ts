// help: the text of `asc-token --help`, with the kinds listed from the one table in kinds.ts.

import { MINT_KINDS } from "./kinds.js";

const kinds = Object.entries(MINT_KINDS)
  .map(([name, kind]) => {
    const flags = kind.flags.map((flag) => `--${flag}`).join(" ");
    return `  ${name.padEnd(20)} ${kind.title}\n  ${" ".repeat(20)} ${flags}`;
  })
  .join("\n");

const lifetimes = Object.entries(MINT_KINDS)
  .map(([name, kind]) => ("lifetime" in kind ? `${" ".repeat(25)}${name}: ${kind.lifetime}` : ""))
  .filter(Boolean)
  .join("\n");

export const HELP = `asc-token: mint Apple's ES256 JWTs from your .p8 key: App Store Connect,
App Store Server, APNs, Sign in with Apple, MusicKit, WeatherKit, MapKit, DeviceCheck.

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
  --key-file <path>      the AuthKey_<KEYID>.p8 file             env ASC_PRIVATE_KEY_PATH
                         (or the key itself in env ASC_PRIVATE_KEY, any format: PEM,
                         literal \\n escapes, bare base64, base64 of the whole file).
                         A leading ~ is your home directory, also where no shell expands it
  --json                 print { token, issuedAt, expiresAt } instead of the token
  --header               print "Authorization: Bearer <token>" instead of the token

Options of some kinds:
  --issuer-id <UUID>     issuer ID (App Store Connect, App Store Server)  env ASC_ISSUER_ID
  --individual           App Store Connect individual key: no issuer, sub "user"
  --team-id <ID>         your Team ID, 10 characters A-Z0-9      env ASC_TEAM_ID
  --bundle-id <ID>       your app's bundle ID (App Store Server)  env ASC_BUNDLE_ID
  --client-id <ID>       Sign in with Apple client_id (App ID or Services ID)  env ASC_CLIENT_ID
  --service-id <ID>      WeatherKit Services ID                  env ASC_SERVICE_ID
  --expires-in <s>       lifetime exp - iat in seconds; per kind:
${lifetimes}
                         (apns and devicecheck tokens have no exp: APNs takes one for an hour)
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
  npx asc-token | npx asc-token doctor -
  asc-token doctor --kind apns "$APNS_TOKEN"

Exit status: 0 success, 1 runtime error (a key that cannot be used, a token with findings),
2 usage error (an unknown flag, a missing setting or one Apple would refuse: an ID of the
wrong shape, a lifetime over the limit). Errors name the setting to fix and never print key
material.
`;
