// help: the text of `asc-token --help`.

export const HELP = `asc-token: mint App Store Connect API tokens (ES256 JWT) from your .p8 key.

Usage:
  asc-token [options]            print a token (and only the token) on stdout
  asc-token decode <token|->     print a token's header and claims as JSON, with readable times
  asc-token doctor <token|->     list what Apple would reject in a token; exit 1 if anything
  asc-token demo                 mint, decode and verify a token with a throwaway key
                                 (with a key configured in the environment: print a real token)
  asc-token --help | --version

Options (flags beat --api-key-json, which beats the environment):
  --key-id <ID>          key ID, 10 characters A-Z0-9            env ASC_KEY_ID
  --issuer-id <UUID>     issuer ID of a team key                 env ASC_ISSUER_ID
  --individual           individual key: no issuer, sub "user"
  --key-file <path>      the AuthKey_<KEYID>.p8 file             env ASC_PRIVATE_KEY_PATH
                         (or the key itself in env ASC_PRIVATE_KEY, any format: PEM,
                         literal \\n escapes, bare base64, base64 of the whole file)
  --expires-in <s>       lifetime exp - iat in seconds (default 1140, max 1200; up to
                         six months for a --scope of GETs Apple allows long-lived tokens
                         for, except with --enterprise)
  --scope <entry>        limit the token, e.g. "GET /v1/apps" (repeatable)
  --enterprise           Enterprise Program API audience (apple-developer-enterprise-v1)
  --api-key-json <path>  fastlane's API key JSON: key_id, issuer_id, key, duration, in_house
  --json                 print { token, issuedAt, expiresAt } instead of the token
  --header               print "Authorization: Bearer <token>" instead of the token

fastlane's variables are read too: APP_STORE_CONNECT_API_KEY_KEY_ID, _ISSUER_ID, _KEY,
_KEY_FILEPATH, _IS_KEY_CONTENT_BASE64 (base64 is detected either way), _DURATION, _IN_HOUSE.
When no key ID is given, it is taken from a key file named AuthKey_<KEYID>.p8.

Examples:
  asc-token --issuer-id 57246542-96fe-1a63-e053-0824d011072a --key-file ~/keys/AuthKey_2X9R4HXF34.p8
  curl -H "Authorization: Bearer $(npx asc-token)" https://api.appstoreconnect.apple.com/v1/apps
  curl -H "$(npx asc-token --header)" https://api.appstoreconnect.apple.com/v1/apps
  npx asc-token | npx asc-token doctor -

Exit status: 0 success, 1 runtime error (a key or token Apple would refuse, an unreadable key),
2 usage error (an unknown flag or a missing setting). Errors name the setting to fix and never
print key material.
`;
