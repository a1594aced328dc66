// `npm run demo`: the main job end to end.
// With ASC_KEY_ID and ASC_PRIVATE_KEY (or ASC_PRIVATE_KEY_PATH) set, and ASC_ISSUER_ID for a team
// key, prints a real App Store Connect token and nothing else. Without them, mints a token with a
// throwaway key, decodes it, and verifies it with node:crypto, so you can see what you would get.
import { generateKeyPairSync, verify } from "node:crypto";
import { readFileSync } from "node:fs";
import { createAscToken, isAscTokenError } from "../dist/index.js";

const env = process.env;
const privateKey = env.ASC_PRIVATE_KEY || (env.ASC_PRIVATE_KEY_PATH && readFileSync(env.ASC_PRIVATE_KEY_PATH, "utf8"));

try {
  if (env.ASC_KEY_ID && privateKey) {
    console.log(await createAscToken({ keyId: env.ASC_KEY_ID, issuerId: env.ASC_ISSUER_ID || undefined, privateKey }));
  } else {
    await demo();
  }
} catch (error) {
  console.error(isAscTokenError(error) ? `asc-token: ${error.code}: ${error.message}` : error);
  process.exitCode = 1;
}

async function demo() {
  const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pem = pair.privateKey.export({ type: "pkcs8", format: "pem" });
  const token = await createAscToken({
    keyId: "DEMO123456",
    issuerId: "57246542-96fe-1a63-e053-0824d011072a",
    privateKey: pem,
  });
  const [h, p, s] = token.split(".");
  const decode = (part) => JSON.parse(Buffer.from(part, "base64url").toString());
  const claims = decode(p);
  const ok = verify("sha256", Buffer.from(`${h}.${p}`), { key: pair.publicKey, dsaEncoding: "ieee-p1363" }, Buffer.from(s, "base64url"));
  const when = (t) => new Date(t * 1000).toISOString();
  console.log(`asc-token demo: no ASC_KEY_ID / ASC_PRIVATE_KEY set, so this used a throwaway P-256 key.

token:
${token}

header: ${JSON.stringify(decode(h))}
claims: ${JSON.stringify(claims)}
  iat ${when(claims.iat)} (now − 60 s, for clock skew)
  exp ${when(claims.exp)} (iat + ${claims.exp - claims.iat} s; Apple's limit is 1200 s)
signature: ${Buffer.from(s, "base64url").length} bytes (raw r||s), verified with node:crypto: ${ok ? "OK" : "FAILED"}

For a real token, set ASC_KEY_ID, ASC_ISSUER_ID (leave out for an individual key) and
ASC_PRIVATE_KEY (the .p8 contents) or ASC_PRIVATE_KEY_PATH, then run npm run demo again.`);
  if (!ok) process.exitCode = 1;
}
