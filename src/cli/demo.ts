// demo: `asc-token demo`, the quick start's main job without a real key. Generates a throwaway
// P-256 key, mints a token, decodes it and verifies it with node:crypto.

import { generateKeyPairSync, verify } from "node:crypto";
import { createAscToken } from "../index.js";
import { describeToken } from "./format.js";

export const demo = async (): Promise<{ text: string; ok: boolean }> => {
  const pair = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const token = await createAscToken({
    keyId: "DEMO123456",
    issuerId: "57246542-96fe-1a63-e053-0824d011072a",
    privateKey: pair.privateKey.export({ type: "pkcs8", format: "pem" }),
  });
  const [header = "", claims = "", signature = ""] = token.split(".");
  const sig = Buffer.from(signature, "base64url");
  const ok = verify(
    "sha256",
    Buffer.from(`${header}.${claims}`),
    { key: pair.publicKey, dsaEncoding: "ieee-p1363" },
    sig,
  );
  const verdict = ok ? "OK" : "FAILED";
  const text = `asc-token demo: no key configured, so this used a throwaway P-256 key.

${token}

${JSON.stringify(describeToken(token), null, 2)}

signature: ${String(sig.length)} bytes (raw r||s), verified with node:crypto: ${verdict}

For a real token, run with your key:
  asc-token --issuer-id <ISSUER_ID> --key-file AuthKey_<KEYID>.p8
or set ASC_KEY_ID, ASC_ISSUER_ID and ASC_PRIVATE_KEY (or ASC_PRIVATE_KEY_PATH) and run asc-token.
`;
  return { text, ok };
};
