// Test fixtures, generated fresh for every run: never a real key.
import { execFileSync } from "node:child_process";
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// Apple's 150-byte PKCS#8, built by hand from a SEC1 export (shared with the runtime matrix).
import { appleFormFromSec1 } from "../runtimes/fixtures.mjs";

export interface P256Fixture {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Node/OpenSSL 3 PKCS#8 export: 138 bytes, base64 starts "MIGHAgEA". */
  pkcs8Pem: string;
  pkcs8Der: Buffer;
  /** SEC1 "EC PRIVATE KEY" PEM. */
  sec1Pem: string;
  sec1Der: Buffer;
  /** Apple's .p8 form: 150-byte PKCS#8 whose ECPrivateKey carries the curve OID and public key. */
  applePem: string;
  appleDer: Buffer;
  /** Base64 body of the PKCS#8 PEM (no armor, no line breaks). */
  body: string;
}

const pem = (label: string, der: Buffer): string =>
  `-----BEGIN ${label}-----\n${(der.toString("base64").match(/.{1,64}/g) ?? []).join("\n")}\n-----END ${label}-----\n`;

export const makeP256 = (): P256Fixture => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const pkcs8Der = privateKey.export({ type: "pkcs8", format: "der" });
  const sec1Der = privateKey.export({ type: "sec1", format: "der" });
  const appleDer = appleFormFromSec1(sec1Der);
  return {
    privateKey,
    publicKey,
    pkcs8Pem: pem("PRIVATE KEY", pkcs8Der),
    pkcs8Der,
    sec1Pem: pem("EC PRIVATE KEY", sec1Der),
    sec1Der,
    applePem: pem("PRIVATE KEY", appleDer),
    appleDer,
    body: pkcs8Der.toString("base64"),
  };
};

/** Runs the openssl command line on `pem`, read with `keyFlag`; returns the bytes it writes. */
const openssl = (pem: string, keyFlag: "-key" | "-in", args: string[]): Buffer => {
  const dir = mkdtempSync(join(tmpdir(), "asc-token-"));
  writeFileSync(join(dir, "key.pem"), pem);
  const [input, output] = [join(dir, "key.pem"), join(dir, "out")];
  execFileSync("openssl", [...args, keyFlag, input, "-out", output], { stdio: "ignore" });
  return readFileSync(output);
};

/** Keys and documents that must be refused, each with the code asc-token must give. */
export const makeRejects = () => {
  const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const p384 = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const p521 = generateKeyPairSync("ec", { namedCurve: "P-521" });
  const k1 = generateKeyPairSync("ec", { namedCurve: "secp256k1" });
  const ed = generateKeyPairSync("ed25519");
  const p256 = makeP256();
  const certificate = openssl(p256.pkcs8Pem, "-key", [
    ..."req -new -x509 -days 1 -subj".split(" "),
    "/CN=asc-token test",
  ]).toString("utf8");
  return {
    p256,
    rsaPkcs8: rsa.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    rsaPkcs1: rsa.privateKey.export({ type: "pkcs1", format: "pem" }) as string,
    p384Pkcs8: p384.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    p384Sec1: p384.privateKey.export({ type: "sec1", format: "pem" }) as string,
    p521Pkcs8: p521.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    secp256k1Pkcs8: k1.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    ed25519Pkcs8: ed.privateKey.export({ type: "pkcs8", format: "pem" }) as string,
    publicKeyPem: p256.publicKey.export({ type: "spki", format: "pem" }) as string,
    publicKeyDer: p256.publicKey.export({ type: "spki", format: "der" }),
    certificate,
    encryptedPkcs8: p256.privateKey.export({
      type: "pkcs8",
      format: "pem",
      cipher: "aes-256-cbc",
      passphrase: "pw",
    }) as string,
    encryptedPkcs8Der: p256.privateKey.export({
      type: "pkcs8",
      format: "der",
      cipher: "aes-256-cbc",
      passphrase: "pw",
    }),
    /** PKCS#8 encrypted by openssl with PKCS#12 password-based 3DES (OID 1.2.840.113549.1.12.1.3). */
    encryptedPbeDer: openssl(
      p256.pkcs8Pem,
      "-in",
      "pkcs8 -topk8 -v1 PBE-SHA1-3DES -passout pass:pw -outform DER".split(" "),
    ),
    encryptedSec1: p256.privateKey.export({
      type: "sec1",
      format: "pem",
      cipher: "aes-256-cbc",
      passphrase: "pw",
    }) as string,
  };
};

/** `der` (PKCS#8) imported by WebCrypto itself, not by asc-token, with `usages`. */
export const webCryptoKey = (der: Uint8Array, usages: KeyUsage[] = ["sign"]) =>
  globalThis.crypto.subtle.importKey(
    "pkcs8",
    new Uint8Array(der),
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    usages,
  );
