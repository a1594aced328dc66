// Text holding more than one private key is refused (KEY_AMBIGUOUS), never signed with whichever
// key comes first: the wrong key would sign as the wrong team.
import { describe, expect, it } from "vitest";
import { createAscToken, importAppleKey } from "../src/index.js";
import { makeP256 } from "./helpers/keys.js";
import { verifies } from "./helpers/verify.js";

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const a = makeP256();
const b = makeP256();

/** Two small Buffers from one allocation pool: `.buffer` is the pool, holding both keys. */
const pooled = (first: string, second: string): ArrayBufferLike => {
  for (;;) {
    const one = Buffer.from(first);
    const two = Buffer.from(second);
    if (one.buffer === two.buffer && one.byteOffset < two.byteOffset) return one.buffer;
  }
};

describe("more than one private key", () => {
  it.each([
    ["two PKCS#8 PEMs", () => a.applePem + b.applePem],
    ["PKCS#8 then SEC1", () => a.pkcs8Pem + "\n" + b.sec1Pem],
    ["the same key twice", () => a.applePem + a.applePem],
    ["two PEMs with literal \\n escapes", () => (a.applePem + b.applePem).replace(/\n/g, "\\n")],
    ["base64 of two PEM files", () => Buffer.from(a.applePem + b.applePem).toString("base64")],
    ["two PEMs as bytes", () => new TextEncoder().encode(a.applePem + b.applePem)],
    ["a pooled Node Buffer's .buffer", () => pooled(a.applePem, b.applePem)],
  ])("%s: KEY_AMBIGUOUS, with no key in the message", async (_, input) => {
    const error = (await importAppleKey(input() as string).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ name: "AscTokenError", code: "KEY_AMBIGUOUS" });
    expect(error.message).toContain("more than one private key");
    expect(error.message).not.toContain(a.body.slice(30, 50));
    await expect(
      createAscToken({ keyId, issuerId, privateKey: input() as string }),
    ).rejects.toMatchObject({
      code: "KEY_AMBIGUOUS",
    });
  });

  it("still reads an EC PARAMETERS block before the key, and a certificate after it", async () => {
    const params = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
    const certificate = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    for (const privateKey of [params + a.sec1Pem, a.applePem + certificate]) {
      const token = await createAscToken({ keyId, issuerId, privateKey });
      expect(verifies(token, a.publicKey)).toBe(true);
    }
  });
});
