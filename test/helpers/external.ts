// Verifiers from outside JavaScript: the openssl command line and Python's PyJWT (Debian's
// python3-jwt, run with the first Python 3 that has it). A missing openssl fails the test that needs it, with
// the command that installs it; a missing PyJWT skips its tests (test/helpers/tools.mjs) but
// under CI=true; .ci/run installs both on a fresh machine.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { p1363ToDer } from "./der-signature.js";
import { TOOLS, python3 } from "./tools.mjs";

/** The Python that has PyJWT (which may not be the first python3 on PATH), else python3. */
export const PYTHON = TOOLS.pyjwt?.find(process.env) ?? python3() ?? "python3";
const INSTALL =
  "apt-get install -y --no-install-recommends openssl python3-jwt python3-cryptography";

/** Why a tool cannot run here, or undefined when it can. */
export const missingTool = (tool: "openssl" | "pyjwt"): string | undefined => {
  const [command, args] =
    tool === "openssl" ? ["openssl", ["version"]] : [PYTHON, ["-c", "import jwt, cryptography"]];
  if (tool === "pyjwt" && python3() === undefined) return `python3 is missing: ${INSTALL}`;
  const run = spawnSync(command, args, { encoding: "utf8" });
  return run.status === 0
    ? undefined
    : `${tool} cannot run (${run.error?.message ?? run.stderr.trim()}): ${INSTALL}`;
};

/**
 * What `openssl dgst -sha256 -verify` answers for the DER signature `der` over `data`:
 * "Verified OK", "Verification failure", or "" when openssl fails in another way.
 */
export const opensslVerify = (
  data: string | Uint8Array,
  der: Uint8Array,
  publicKeyPem: string,
): string => {
  const dir = mkdtempSync(join(tmpdir(), "asc-token-openssl-"));
  writeFileSync(join(dir, "pub.pem"), publicKeyPem);
  writeFileSync(join(dir, "data"), data);
  writeFileSync(join(dir, "sig.der"), der);
  try {
    return execFileSync(
      "openssl",
      [
        "dgst",
        "-sha256",
        "-verify",
        join(dir, "pub.pem"),
        "-signature",
        join(dir, "sig.der"),
        join(dir, "data"),
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    ).trim();
  } catch (error) {
    // openssl exits 1 for a signature that does not verify, still answering on stdout.
    return ((error as { stdout?: string }).stdout ?? "").trim();
  }
};

/**
 * Verifies a compact JWS's signature with {@link opensslVerify}, after converting its raw r||s
 * signature to DER. True when openssl prints "Verified OK".
 */
export const opensslVerifies = (token: string, publicKeyPem: string): boolean => {
  const [header = "", claims = "", signature = ""] = token.split(".");
  const raw = Buffer.from(signature, "base64url");
  if (raw.length !== 64) return false;
  return opensslVerify(`${header}.${claims}`, p1363ToDer(raw), publicKeyPem) === "Verified OK";
};

export interface PyJwtRequest {
  token: string;
  publicKeyPem: string;
  audience: string;
  issuer?: string;
}
export type PyJwtResult =
  | { ok: true; header: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; error: string };

const SCRIPT = `
import json, sys, jwt
out = []
for r in json.load(sys.stdin):
    try:
        kw = {"algorithms": ["ES256"], "audience": r["audience"], "options": {"require": ["exp", "iat", "aud"]}}
        if r.get("issuer"):
            kw["issuer"] = r["issuer"]
        payload = jwt.decode(r["token"], r["publicKeyPem"], **kw)
        out.append({"ok": True, "header": jwt.get_unverified_header(r["token"]), "payload": payload})
    except Exception as e:
        out.append({"ok": False, "error": type(e).__name__ + ": " + str(e)})
print(json.dumps({"version": jwt.__version__, "results": out}))
`;

/** Decodes and verifies each token with PyJWT (`jwt.decode` with ES256, audience, issuer), in one process. */
export const pyjwtVerify = (
  requests: readonly PyJwtRequest[],
): { version: string; results: PyJwtResult[] } => {
  const run = spawnSync(PYTHON, ["-c", SCRIPT], {
    input: JSON.stringify(requests),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`PyJWT failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { version: string; results: PyJwtResult[] };
};
