// `npm run bench`: asc-token against the floor and its peers, in one process run.
//
//   npm run bench                 builds dist/, runs every case, prints a Markdown table and
//                                 rewrites the measured block of bench/RESULTS.md
//   npm run bench -- --quick      one short round: proves every case still runs (CI); never
//                                 fails on speed, never writes RESULTS.md
//   npm run bench -- --only asc   only the cases whose name contains one of the comma-separated
//                                 words (their floors are always kept); prints, and writes only
//                                 the verification block when every verifier case ran
//                                 (`--only Verifier` remeasures verification alone)
//   npm run bench -- --rounds 5   fewer (or more) rounds than the default 11
//
// This machine kind is shared and noisy: absolute times wander by ±25 % between runs, so every
// case is compared with a floor measured in the same round, the cases are interleaved over
// several short rounds (in a new shuffled order each round), and the table reports the median
// over rounds of each case's ratio to its floor, with the min–max of those ratios.
//
// Imports the BUILT package (dist/index.js), as a user gets it: `npm run bench` builds first.

import { X509Certificate, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import {
  blockRatio,
  ES256,
  fmtUs,
  fmtX,
  interleave,
  makeKey,
  minimalToken,
  runRounds,
  summarize,
} from "./harness.mjs";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const onlyIndex = args.indexOf("--only");
const only = onlyIndex >= 0 ? (args[onlyIndex + 1] ?? "").split(",").filter(Boolean) : undefined;
const root = new URL("../", import.meta.url);
const resultsFile = new URL("bench/RESULTS.md", root);

if (!existsSync(new URL("dist/index.js", root))) {
  console.error("dist/index.js is missing: run `npm run build` first (`npm run bench` does).");
  process.exit(1);
}
const api = await import(new URL("dist/index.js", root).href);
const { default: jwt } = await import("jsonwebtoken");
const { createSigner } = await import("fast-jwt");
const jose = await import("jose");
const tsndr = (await import("@tsndr/cloudflare-worker-jwt")).default;
const appleLibrary = await import("@apple/app-store-server-library");
const signedByApple = await import("../test/fixtures/apple-signed-notification.mjs");

const { subtle } = globalThis.crypto;
// ---------------------------------------------------------------------------------------------
// Keys and claims: one P-256 key in Apple's .p8 form (150-byte PKCS#8 with the public key), and
// the same header and claims for every library.

const key = makeKey();
const cryptoKey = await subtle.importKey("pkcs8", key.der, ES256, false, ["sign"]);
/** Distinct keys for the cold cases: more than asc-token's 16-key cache, used round-robin. */
const pool = Array.from({ length: quick ? 20 : 48 }, makeKey);
let next = 0;
const coldKey = () => pool[(next = (next + 1) % pool.length)];

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const aud = "appstoreconnect-v1";
const claims = () => {
  const iat = Math.floor(Date.now() / 1000) - 60;
  return { iss: issuerId, iat, exp: iat + 1140, aud };
};
const options = { keyId, issuerId };

/** The signing input asc-token produces for these claims: what the floors sign. */
const sample = await api.createAscToken({ ...options, privateKey: cryptoKey });
const input = new TextEncoder().encode(sample.split(".").slice(0, 2).join("."));
const inputBuffer = Buffer.from(input);

const fastSigner = createSigner({ key: key.pem, algorithm: "ES256", kid: keyId });
const signJose = (k, c = claims()) =>
  new jose.SignJWT({ iss: c.iss, aud: c.aud })
    .setProtectedHeader({ alg: "ES256", kid: keyId, typ: "JWT" })
    .setIssuedAt(c.iat)
    .setExpirationTime(c.exp)
    .sign(k);
const tsndrOptions = { algorithm: "ES256", header: { kid: keyId, typ: "JWT" } };
// ---------------------------------------------------------------------------------------------
// Verifying: a notification Apple's sandbox signed with Apple's real chain, verified offline by
// asc-token and by Apple's own Node library, each reused and new for every call.

const appleJws = signedByApple.REAL_SANDBOX_NOTIFICATION;
const { bundleId } = signedByApple.REAL_SANDBOX_NOTIFICATION_APP;
const verifierOptions = { bundleId, environment: "Sandbox" };
const appleRoots = [Buffer.from(api.APPLE_ROOT_CA_G3, "base64")];
const newAppleVerifier = () =>
  new appleLibrary.SignedDataVerifier(
    appleRoots,
    false,
    appleLibrary.Environment.SANDBOX,
    bundleId,
  );
const reusedVerifier = api.createAppleVerifier(verifierOptions);
const reusedAppleVerifier = newAppleVerifier();
/** What every verify floor verifies: the leaf's key, the signature and input of Apple's JWS. */
const [jwsHeader, jwsPayload, jwsSignature] = appleJws.split(".");
const leafSpki = new X509Certificate(
  Buffer.from(JSON.parse(Buffer.from(jwsHeader, "base64url")).x5c[0], "base64"),
).publicKey.export({ type: "spki", format: "der" });
const ES256_VERIFY = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const leafKey = await subtle.importKey("spki", leafSpki, ES256_VERIFY, false, ["verify"]);
const jwsInput = new TextEncoder().encode(`${jwsHeader}.${jwsPayload}`);
const jwsRaw = Buffer.from(jwsSignature, "base64url");

const BATCH = 1000;
const batch = (fn) => () => Promise.all(Array.from({ length: BATCH }, fn));
const sequential = (fn) => async () => {
  for (let i = 0; i < BATCH; i++) await fn();
};

// ---------------------------------------------------------------------------------------------
// Cases. `floor` names the case each one is divided by; `per` divides a batch's time per token.

const WARM = "floor: crypto.subtle.sign, imported key";
const COLD = "floor: importKey + crypto.subtle.sign (cold)";
const BATCH_FLOOR = "floor: 1,000 × crypto.subtle.sign, Promise.all";
const VERIFY = "floor: crypto.subtle.verify (ES256), imported key";
const VERIFY_COLD = "floor: importKey(spki) + crypto.subtle.verify (ES256)";
const ASC_REUSED = "asc-token createAppleVerifier, reused: verifyNotification";
const APPLE_REUSED = "Apple SignedDataVerifier, reused: verifyAndDecodeNotification";
const ASC_NEW = "asc-token new createAppleVerifier per call";
const APPLE_NEW = "Apple new SignedDataVerifier per call";
const provider =
  typeof api.createAscTokenProvider === "function"
    ? api.createAscTokenProvider({ ...options, privateKey: key.pem })
    : undefined;

const cases = [
  { name: WARM, floor: WARM, fn: () => subtle.sign(ES256, cryptoKey, input) },
  {
    name: "asc-token, imported CryptoKey",
    floor: WARM,
    fn: () => api.createAscToken({ ...options, privateKey: cryptoKey }),
    token: true,
  },
  {
    name: "asc-token, PEM string every call (key cache)",
    floor: WARM,
    fn: () => api.createAscToken({ ...options, privateKey: key.pem }),
    token: true,
  },
  provider && {
    name: "asc-token provider, cached getToken()",
    floor: WARM,
    fn: () => provider.getToken(),
    token: true,
  },
  {
    name: "reference: minimal hand-written WebCrypto token, no checks",
    floor: WARM,
    fn: () => minimalToken(cryptoKey, keyId, claims()),
    token: true,
  },
  { name: "jose SignJWT, CryptoKey", floor: WARM, fn: () => signJose(cryptoKey), token: true },
  {
    name: "tsndr sign, CryptoKey",
    floor: WARM,
    fn: () => tsndr.sign(claims(), cryptoKey, tsndrOptions),
    token: true,
  },
  {
    name: "tsndr sign, PEM string (imports every call)",
    floor: WARM,
    fn: () => tsndr.sign(claims(), key.pem, tsndrOptions),
    token: true,
    slow: true,
  },
  {
    name: "jsonwebtoken, PEM string",
    floor: WARM,
    fn: () => jwt.sign(claims(), key.pem, { algorithm: "ES256", keyid: keyId }),
    token: true,
    slow: true,
  },
  {
    name: "jsonwebtoken, KeyObject",
    floor: WARM,
    fn: () => jwt.sign(claims(), key.keyObject, { algorithm: "ES256", keyid: keyId }),
    token: true,
  },
  {
    name: "fast-jwt createSigner (PEM, key cached)",
    floor: WARM,
    fn: () => fastSigner(claims()),
    token: true,
  },
  {
    name: "node crypto.sign ieee-p1363, KeyObject",
    floor: WARM,
    fn: () => nodeSign("sha256", inputBuffer, { key: key.keyObject, dsaEncoding: "ieee-p1363" }),
  },
  {
    name: COLD,
    floor: COLD,
    fn: async () =>
      subtle.sign(
        ES256,
        await subtle.importKey("pkcs8", coldKey().der, ES256, false, ["sign"]),
        input,
      ),
    slow: true,
  },
  {
    name: "asc-token cold: new PEM every call",
    floor: COLD,
    fn: () => api.createAscToken({ ...options, privateKey: coldKey().pem }),
    slow: true,
  },
  {
    name: "jose cold: importPKCS8 + SignJWT",
    floor: COLD,
    fn: async () => signJose(await jose.importPKCS8(coldKey().pem, "ES256")),
    slow: true,
  },
  {
    name: VERIFY,
    floor: VERIFY,
    fn: () => subtle.verify(ES256_VERIFY, leafKey, jwsRaw, jwsInput),
    verify: true,
  },
  {
    name: ASC_REUSED,
    floor: VERIFY,
    fn: () => reusedVerifier.verifyNotification(appleJws),
    verify: true,
    notification: true,
  },
  {
    name: APPLE_REUSED,
    floor: VERIFY,
    fn: () => reusedAppleVerifier.verifyAndDecodeNotification(appleJws),
    verify: true,
    notification: true,
    slow: true,
  },
  {
    name: VERIFY_COLD,
    floor: VERIFY_COLD,
    fn: async () =>
      subtle.verify(
        ES256_VERIFY,
        await subtle.importKey("spki", leafSpki, ES256_VERIFY, false, ["verify"]),
        jwsRaw,
        jwsInput,
      ),
    verify: true,
  },
  {
    name: ASC_NEW,
    floor: VERIFY_COLD,
    fn: () => api.createAppleVerifier(verifierOptions).verifyNotification(appleJws),
    verify: true,
    notification: true,
    slow: true,
  },
  {
    name: APPLE_NEW,
    floor: VERIFY_COLD,
    fn: () => newAppleVerifier().verifyAndDecodeNotification(appleJws),
    verify: true,
    notification: true,
    slow: true,
  },
  {
    name: BATCH_FLOOR,
    floor: BATCH_FLOOR,
    fn: batch(() => subtle.sign(ES256, cryptoKey, input)),
    per: BATCH,
    batch: true,
  },
  {
    name: "asc-token 1,000 tokens, Promise.all",
    floor: BATCH_FLOOR,
    fn: batch(() => api.createAscToken({ ...options, privateKey: cryptoKey })),
    per: BATCH,
    batch: true,
  },
  {
    name: "asc-token 1,000 tokens, sequential",
    floor: BATCH_FLOOR,
    fn: sequential(() => api.createAscToken({ ...options, privateKey: cryptoKey })),
    per: BATCH,
    batch: true,
  },
  {
    name: "node crypto.sign 1,000 tokens, sync loop",
    floor: BATCH_FLOOR,
    fn: () => {
      for (let i = 0; i < BATCH; i++)
        nodeSign("sha256", inputBuffer, { key: key.keyObject, dsaEncoding: "ieee-p1363" });
    },
    per: BATCH,
    batch: true,
  },
].filter(Boolean);

const picked = only ? cases.filter((c) => only.some((word) => c.name.includes(word))) : cases;
const active = cases.filter((c) => picked.includes(c) || picked.some((p) => p.floor === c.name));

// ---------------------------------------------------------------------------------------------
// Every token case must produce a token that node:crypto verifies, with the same claims: a
// benchmark of something broken is worthless. (This is what `--quick` proves in CI.)

const decode = (part) => JSON.parse(Buffer.from(part, "base64url").toString());
for (const c of active.filter((c) => c.token)) {
  const token = await c.fn();
  const [h, p, s] = token.split(".");
  const header = decode(h);
  const payload = decode(p);
  const ok =
    header.alg === "ES256" &&
    header.kid === keyId &&
    payload.iss === issuerId &&
    payload.aud === aud &&
    payload.exp - payload.iat === 1140 &&
    nodeVerify(
      "sha256",
      Buffer.from(`${h}.${p}`),
      { key: key.publicKey, dsaEncoding: "ieee-p1363" },
      Buffer.from(s, "base64url"),
    );
  if (!ok)
    throw new Error(
      `bench case "${c.name}" produced a token that does not verify or has other claims`,
    );
}

// Every verify case must come back with Apple's notification (and each floor with `true`).
for (const c of active.filter((c) => c.verify)) {
  const result = await c.fn();
  const ok = c.notification
    ? result?.notificationUUID === signedByApple.REAL_SANDBOX_NOTIFICATION_UUID
    : result === true;
  if (!ok) throw new Error(`bench case "${c.name}" did not verify Apple's notification`);
}

// ---------------------------------------------------------------------------------------------
// Rounds: each case gets a short tinybench run per round, in a new shuffled order each round.

const roundsIndex = args.indexOf("--rounds");
const ROUNDS = quick ? 1 : roundsIndex >= 0 ? Number(args[roundsIndex + 1]) : 11;
const budget = (c) =>
  quick
    ? { time: 10, iterations: c.batch ? 1 : 4, warmupTime: 5, warmupIterations: 1 }
    : c.batch
      ? { time: 250, iterations: 5, warmupTime: 50, warmupIterations: 1 }
      : { time: c.slow ? 200 : 150, iterations: 32, warmupTime: 30, warmupIterations: 8 };

const samples = await runRounds(active, ROUNDS, budget, (round, seconds) => {
  if (!quick) process.stderr.write(`round ${round}/${ROUNDS} done (${seconds.toFixed(0)} s)\n`);
});

// ---------------------------------------------------------------------------------------------
// Calls interleaved one by one: the single-token cases take turns call by call, in a new
// shuffled order each turn, so that every case, the floors included, meets the same machine.
// tinybench repeats one case back to back, and on a shared VM a bare crypto.subtle.sign repeated
// back to back runs faster than any sign with JavaScript around it (the worker thread and the
// caches stay hot), which inflates every ratio in the rounds table; this view does not.

const TURNS = quick ? 10 : 2500;
const single = active.filter((c) => !c.batch);
/** Interleaved turns of `cases` (undefined when `--only` left none). */
const turnsOf = async (cases, n) =>
  cases.length
    ? interleave(
        cases.map((c) => [c.name, c.fn]),
        n,
      )
    : undefined;
// Both verify floors and the four verifier cases take turns together, so that asc-token and
// Apple's library are also compared with each other block by block.
const verifyTurns = await turnsOf(
  single.filter((c) => c.verify),
  Math.ceil(TURNS / 8),
);
const turns = {
  [VERIFY]: verifyTurns,
  [VERIFY_COLD]: verifyTurns,
  [WARM]: await turnsOf(
    single.filter((c) => c.floor === WARM),
    TURNS,
  ),
  [COLD]: await turnsOf(
    single.filter((c) => c.floor === COLD),
    Math.ceil(TURNS / 8),
  ),
};

// ---------------------------------------------------------------------------------------------
// Report.

const floorLabel = {
  [WARM]: "sign",
  [COLD]: "import+sign",
  [BATCH_FLOOR]: "batch sign",
  [VERIFY]: "verify",
  [VERIFY_COLD]: "import+verify",
};
const row = (c, { us, ratio, min, max }) =>
  `| ${c.name} | ${fmtUs(us)} | ${c.name === c.floor ? "1.00" : `**${fmtX(ratio)}**`} | ${fmtX(min)}–${fmtX(max)} | ${floorLabel[c.floor]} |`;
const interleavedTable = [
  `**Calls interleaved one by one** (${TURNS.toLocaleString("en")} turns warm, ${Math.ceil(TURNS / 8).toLocaleString("en")} cold; min–max over 5 blocks of turns):`,
  "",
  "| case | median µs per token | × floor (median) | × floor (min–max over blocks) | floor |",
  "|---|---:|---:|---:|---|",
  ...single
    .filter((c) => turns[c.floor] && !c.verify)
    .map((c) => row(c, blockRatio(turns[c.floor], c.name, c.floor))),
].join("\n");
const verifyInterleavedTable = [
  `**Calls interleaved one by one** (${Math.ceil(TURNS / 8).toLocaleString("en")} turns; min–max over 5 blocks of turns):`,
  "",
  "| case | median µs per call | × floor (median) | × floor (min–max over blocks) | floor |",
  "|---|---:|---:|---:|---|",
  ...single.filter((c) => c.verify).map((c) => row(c, blockRatio(verifyTurns, c.name, c.floor))),
].join("\n");
const versusApple = (name, apple) => {
  const has = (n) => active.some((c) => c.name === n);
  if (!has(name) || !has(apple)) return [];
  const { ratio, min, max } = blockRatio(verifyTurns, name, apple);
  return [`| ${name} | **${fmtX(ratio)}** | ${fmtX(min)}–${fmtX(max)} | ${apple} |`];
};
const appleTable = [
  `**asc-token against Apple's library**, verifying the same Apple-signed notification (the interleaved verify turns, ${Math.ceil(TURNS / 8).toLocaleString("en")} turns; min–max over 5 blocks):`,
  "",
  "| case | × Apple's (median) | × Apple's (min–max over blocks) | Apple's case |",
  "|---|---:|---:|---|",
  ...versusApple(ASC_REUSED, APPLE_REUSED),
  ...versusApple(ASC_NEW, APPLE_NEW),
].join("\n");
const roundsTable = (cases) =>
  [
    `**tinybench rounds** (${ROUNDS} round${ROUNDS === 1 ? "" : "s"}; min–max over rounds):`,
    "",
    "| case | median µs per call | × floor (median) | × floor (min–max over rounds) | floor |",
    "|---|---:|---:|---:|---|",
    ...cases.map((c) => row(c, summarize(samples, c))),
  ].join("\n");
const table = `${interleavedTable}\n\n${roundsTable(active.filter((c) => !c.verify))}`;
const verifyTable = `${appleTable}\n\n${verifyInterleavedTable}\n\n${roundsTable(active.filter((c) => c.verify))}`;

const version = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), "utf8")).version;
const own = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const cpus = os.cpus();
const env = [
  `- Date: ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  `- Node ${process.versions.node} (V8 ${process.versions.v8}, OpenSSL ${process.versions.openssl}), ${process.platform} ${process.arch}`,
  `- Machine: ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores (shared)`,
  `- Packages: asc-token ${own.version} (this tree), jose ${version("jose")}, jsonwebtoken ${version("jsonwebtoken")}, fast-jwt ${version("fast-jwt")}, @tsndr/cloudflare-worker-jwt ${version("@tsndr/cloudflare-worker-jwt")}, @apple/app-store-server-library ${version("@apple/app-store-server-library")}, tinybench ${version("tinybench")}`,
  "- Two views, both with every ratio taken against a floor measured in the same run. *Calls interleaved one by one*: the single-token cases take turns call by call in a new shuffled order each turn; each case's median latency over a block of turns is divided by the floor's in the same block. *tinybench rounds*: per round, each case is a short tinybench run (its median latency) in a new shuffled order; each ratio is taken against the floor of the same round. Reported: the median of the ratios, and their min–max.",
  `- Same header \`{alg, kid, typ}\` and claims \`{iss, iat, exp, aud}\` everywhere, one P-256 key in Apple's 150-byte .p8 form; cold cases cycle through ${pool.length} distinct keys (asc-token caches 16).`,
  provider
    ? ""
    : "- The token provider (`createAscTokenProvider`) is not in this build: its case is skipped.",
]
  .filter(Boolean)
  .join("\n");

const verifyEnv = [
  ...env.split("\n").filter((line) => !line.startsWith("- Same header")),
  "- Verifying: a TEST notification Apple's sandbox signed with Apple's real chain (test/fixtures/apple-signed-notification.mjs), verified offline (Apple's online checks off) with bundle ID and environment checked, by a verifier kept across calls and by a new one per call; the floors verify its signature with the leaf's key, imported once or every call. Apple's offline `SignedDataVerifier` caches nothing, so reused or new it checks the whole chain every call.",
].join("\n");
const signBlock = `<!-- bench:start (written by \`npm run bench\`; do not edit by hand) -->\n${env}\n\n${table}\n<!-- bench:end -->`;
const verifyBlock = `<!-- bench-verify:start (written by \`npm run bench\`; do not edit by hand) -->\n${verifyEnv}\n\n${verifyTable}\n<!-- bench-verify:end -->`;
console.log(`\n${env}\n\n${table}\n\n${verifyTable}\n`);

/** `text` with the block named `name` replaced by `block` (or added at the end). */
const withBlock = (text, name, block) => {
  const marked = new RegExp(`<!-- ${name}:start[^]*?<!-- ${name}:end -->`);
  return marked.test(text) ? text.replace(marked, () => block) : `${text.trimEnd()}\n\n${block}\n`;
};
// The signing block is written by a full run only; the verification block by any run that has
// all four verifier cases, so that `--only Verifier` remeasures verification alone.
const verifyComplete = [ASC_REUSED, APPLE_REUSED, ASC_NEW, APPLE_NEW].every((name) =>
  active.some((c) => c.name === name),
);
if (quick) {
  console.log("--quick: every case ran and every token verified (speed is not checked).");
} else if (only && !verifyComplete) {
  console.log("--only: RESULTS.md not written.");
} else {
  let text = existsSync(resultsFile)
    ? readFileSync(resultsFile, "utf8")
    : "# Benchmark results\n\n";
  if (!only) text = withBlock(text, "bench", signBlock);
  if (verifyComplete) text = withBlock(text, "bench-verify", verifyBlock);
  writeFileSync(resultsFile, text);
  console.log(
    only ? "Verification written to bench/RESULTS.md (--only)" : "Written to bench/RESULTS.md",
  );
}
