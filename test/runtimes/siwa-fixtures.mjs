// Sign in with Apple fixtures for the conformance suite, made in Node with node:crypto (not with
// asc-token's test kit): a key set of two RSA keys shaped like Apple's, identity tokens and a
// notification signed RS256 with the second key, and tokens each runtime must refuse.
import { createHmac, generateKeyPairSync, sign } from "node:crypto";

const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Fixtures for SIWA_CASES, dated by `now` (epoch ms). */
export const siwaFixtures = (now) => {
  const clientId = "com.example.app";
  const iat = Math.floor(now / 1000);
  const pairs = ["AppleKey1", "AppleKey2"].map((kid) => ({
    kid,
    ...generateKeyPairSync("rsa", { modulusLength: 2048 }),
  }));
  const jwks = {
    keys: pairs.map(({ kid, publicKey }) => {
      const { n, e } = publicKey.export({ format: "jwk" });
      return { kty: "RSA", kid, use: "sig", alg: "RS256", n, e };
    }),
  };
  const signer = pairs[1];
  const signed = (claims, header = { kid: signer.kid, alg: "RS256" }) => {
    const input = `${part(header)}.${part(claims)}`;
    const signature =
      header.alg === "HS256"
        ? createHmac("sha256", Buffer.from(jwks.keys[1].n, "base64url")).update(input).digest()
        : sign("sha256", Buffer.from(input), signer.privateKey);
    return `${input}.${signature.toString("base64url")}`;
  };
  const claims = {
    iss: "https://appleid.apple.com",
    aud: clientId,
    exp: iat + 600,
    iat,
    sub: "001234.0123456789abcdef0123456789abcdef.0123",
    nonce: "n-0123",
    email: "user@privaterelay.appleid.com",
    email_verified: "true",
    is_private_email: "false",
    real_user_status: 2,
  };
  const idToken = signed(claims);
  const [head, , seal] = idToken.split(".");
  const event = { type: "consent-revoked", sub: claims.sub, event_time: now };
  const notification = {
    iss: claims.iss,
    aud: clientId,
    iat,
    exp: iat + 86_400,
    jti: "jti-0001",
    events: JSON.stringify(event),
  };
  return {
    clientId,
    jwks,
    signed: {
      idToken,
      notification: JSON.stringify({ payload: signed(notification) }),
      tampered: `${head}.${part({ ...claims, sub: "001.other.0001" })}.${seal}`,
      hs256: signed(claims, { kid: signer.kid, alg: "HS256" }),
      unknownKid: signed(claims, { kid: "NotApples", alg: "RS256" }),
      expired: signed({ ...claims, exp: iat - 3600 }),
      otherAudience: signed({ ...claims, aud: "com.other.app" }),
    },
    expected: {
      idToken: { ...claims, email_verified: true, is_private_email: false },
      notification: { ...notification, events: event },
    },
  };
};
