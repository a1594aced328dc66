// `npm run bench`: asc-token against the floors, its budgets and its peers, in one process run.
//
//   npm run bench                 builds dist/, runs every case, prints the budget table and the
//                                 cases table, and rewrites the measured block of bench/RESULTS.md
//   npm run bench -- --rounds 31  more (or fewer) rounds than the default 21; RESULTS.md is
//                                 written only by a run of at least 15 rounds
//   npm run bench -- --quick      one short round: proves every case still runs (CI); never
//                                 fails on speed, never writes RESULTS.md
//   npm run bench -- --only asc   only the cases whose name contains one of the comma-separated
//                                 words (their floors are always kept); prints, never writes
//
// The machine this runs on is shared and noisy: absolute times wander by ±25 % between runs. So
// every case is divided by a floor measured in the same round (a bare `crypto.subtle.sign`, an
// `importKey` + `sign`, a bare `crypto.subtle.verify`), the cases take turns call by call in a
// new shuffled order each turn, and the run is cut into rounds. Each budget is a figure per round
// (a ratio, or the difference of two ratios of the same round); the table reports its median
// over rounds and its spread, and a budget missed by less than the spread is reported as such.
//
// Imports the BUILT package (dist/index.js), as a user gets it: `npm run bench` builds first.

import { X509Certificate, sign as nodeSign, verify as nodeVerify } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { performance } from "node:perf_hooks";
import {
  cycle,
  ES256,
  fmtUs,
  fmtX,
  interleave,
  makeKey,
  median,
  minimalToken,
  roundRatios,
  spread,
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
const coldFloorKey = cycle(pool);
const ascColdKey = cycle(pool);
const joseColdKey = cycle(pool);

const keyId = "2X9R4HXF34";
const issuerId = "57246542-96fe-1a63-e053-0824d011072a";
const aud = "appstoreconnect-v1";
const claims = () => {
  const iat = Math.floor(Date.now() / 1000) - 60;
  return { iss: issuerId, iat, exp: iat + 1140, aud };
};
/**
 * asc-token's options, as a caller writes them: an object literal, as every other library's case
 * gets its claims and options. Not `{ ...base, privateKey }`: on Node 20 (V8 11) each object made
 * by a spread followed by another property gets a hidden class of its own, a cost of the caller's
 * code that the reference token does not pay (bench/RESULTS.md).
 */
const ascOptions = (privateKey) => ({ keyId, issuerId, privateKey });

/** The signing input asc-token produces for these claims: what the floors sign. */
const sample = await api.createAscToken(ascOptions(cryptoKey));
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
const ASC_KEY = "asc-token, imported CryptoKey";
const ASC_PEM = "asc-token, PEM string every call (key cache)";
const ASC_CACHED = "asc-token provider, cached getToken()";
const CHECK_FREE = "reference: minimal hand-written WebCrypto token, no checks";
const ASC_COLD = "asc-token cold: new PEM every call";
const provider = api.createAscTokenProvider(ascOptions(key.pem));

const cases = [
  { name: WARM, floor: WARM, fn: () => subtle.sign(ES256, cryptoKey, input) },
  {
    name: ASC_KEY,
    floor: WARM,
    fn: () => api.createAscToken(ascOptions(cryptoKey)),
    token: true,
  },
  {
    name: ASC_PEM,
    floor: WARM,
    fn: () => api.createAscToken(ascOptions(key.pem)),
    token: true,
  },
  {
    name: ASC_CACHED,
    floor: WARM,
    fn: () => provider.getToken(),
    token: true,
  },
  {
    name: CHECK_FREE,
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
  },
  {
    name: "jsonwebtoken, PEM string",
    floor: WARM,
    fn: () => jwt.sign(claims(), key.pem, { algorithm: "ES256", keyid: keyId }),
    token: true,
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
        await subtle.importKey("pkcs8", coldFloorKey().der, ES256, false, ["sign"]),
        input,
      ),
  },
  {
    name: ASC_COLD,
    floor: COLD,
    fn: () => api.createAscToken(ascOptions(ascColdKey().pem)),
  },
  {
    name: "jose cold: importPKCS8 + SignJWT",
    floor: COLD,
    fn: async () => signJose(await jose.importPKCS8(joseColdKey().pem, "ES256")),
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
  },
  {
    name: APPLE_NEW,
    floor: VERIFY_COLD,
    fn: () => newAppleVerifier().verifyAndDecodeNotification(appleJws),
    verify: true,
    notification: true,
  },
  {
    name: BATCH_FLOOR,
    floor: BATCH_FLOOR,
    fn: batch(() => subtle.sign(ES256, cryptoKey, input)),
    per: BATCH,
  },
  {
    name: "asc-token 1,000 tokens, Promise.all",
    floor: BATCH_FLOOR,
    fn: batch(() => api.createAscToken(ascOptions(cryptoKey))),
    per: BATCH,
  },
  {
    name: "asc-token 1,000 tokens, sequential",
    floor: BATCH_FLOOR,
    fn: sequential(() => api.createAscToken(ascOptions(cryptoKey))),
    per: BATCH,
  },
  {
    name: "node crypto.sign 1,000 tokens, sync loop",
    floor: BATCH_FLOOR,
    fn: () => {
      for (let i = 0; i < BATCH; i++)
        nodeSign("sha256", inputBuffer, { key: key.keyObject, dsaEncoding: "ieee-p1363" });
    },
    per: BATCH,
  },
];

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
// Rounds. Per round, each group of cases takes its turns, the groups in a new shuffled order;
// within a group every case, its floor included, is called once per turn in a new shuffled order.
// (A case run back to back, as benchmark loops do, flatters a bare `crypto.subtle.sign` most:
// its worker thread and the caches stay hot, which no real token sees; taking turns does not.)

const roundsIndex = args.indexOf("--rounds");
const ROUNDS = quick ? 1 : roundsIndex >= 0 ? Number(args[roundsIndex + 1]) : 21;
/** The fewest rounds whose figures go into RESULTS.md: what the budgets are defined over. */
const MIN_ROUNDS = 15;
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  console.error("--rounds takes a whole number of rounds, at least 1");
  process.exit(2);
}
/** Turns per round of each group (a batch turn is 1,000 tokens). */
const TURNS = quick
  ? { [WARM]: 2, [COLD]: 1, [VERIFY]: 1, [BATCH_FLOOR]: 1 }
  : { [WARM]: 300, [COLD]: 60, [VERIFY]: 30, [BATCH_FLOOR]: 2 };
const groupOf = (c) => (c.floor === VERIFY_COLD ? VERIFY : c.floor);
const groups = Object.keys(TURNS)
  .map((name) => ({
    name,
    turns: TURNS[name],
    cases: active.filter((c) => groupOf(c) === name).map((c) => [c.name, c.fn]),
  }))
  .filter((g) => g.cases.length > 0);

const loadBefore = os.loadavg()[0];
const started = performance.now();
const rounds = await interleave(groups, ROUNDS, (done) => {
  if (!quick) {
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`round ${done}/${ROUNDS} done (${seconds.toFixed(0)} s)\n`);
  }
});
const loadAfter = os.loadavg()[0];

// ---------------------------------------------------------------------------------------------
// Budgets: each a figure per round, judged on its median over rounds. "Missed within spread":
// the median is over the limit by no more than the interquartile range of the per-round figures,
// which is what the same code moves by from one run to the next on a shared machine.

const has = (...names) => names.every((name) => active.some((c) => c.name === name));
const minus = (a, b) => a.map((x, i) => x - b[i]);
const budgets = [
  has(ASC_KEY, CHECK_FREE) && {
    name: "imported key, minus the check-free token (both × `crypto.subtle.sign`)",
    limit: 0.1,
    values: minus(roundRatios(rounds, ASC_KEY, WARM), roundRatios(rounds, CHECK_FREE, WARM)),
    difference: true,
  },
  has(ASC_PEM, ASC_KEY) && {
    name: "PEM string every call, minus imported key (both × `crypto.subtle.sign`)",
    limit: 0.05,
    values: minus(roundRatios(rounds, ASC_PEM, WARM), roundRatios(rounds, ASC_KEY, WARM)),
    difference: true,
  },
  has(ASC_COLD) && {
    name: "cold: new PEM every call (× `importKey` + `sign`)",
    limit: 1.1,
    values: roundRatios(rounds, ASC_COLD, COLD),
  },
  has(ASC_CACHED) && {
    name: "the provider's cached `getToken()` (× `crypto.subtle.sign`)",
    limit: 0.02,
    values: roundRatios(rounds, ASC_CACHED, WARM),
  },
  has(ASC_REUSED, APPLE_REUSED) && {
    name: "a reused verifier (× Apple's reused `SignedDataVerifier`)",
    limit: 0.1,
    values: roundRatios(rounds, ASC_REUSED, APPLE_REUSED),
  },
  has(ASC_NEW, APPLE_NEW) && {
    name: "a new verifier per call (× Apple's new `SignedDataVerifier` per call)",
    limit: 1,
    values: roundRatios(rounds, ASC_NEW, APPLE_NEW),
  },
].filter(Boolean);

const signed = (x, difference) => (difference && x >= 0 ? `+${fmtX(x)}` : fmtX(x));
const verdict = ({ median: m, q1, q3 }, limit) =>
  m <= limit ? "met" : m - limit <= q3 - q1 ? "missed within spread" : "**missed**";
const budgetTable = [
  `**Budgets** (${ROUNDS} round${ROUNDS === 1 ? "" : "s"}; median, interquartile range and min–max of the per-round figures):`,
  "",
  "| budget | limit | median | IQR | min–max | verdict |",
  "|---|---:|---:|---:|---:|---|",
  ...budgets.map(({ name, limit, values, difference }) => {
    const s = spread(values);
    const f = (x) => signed(x, difference);
    return `| ${name} | ≤ ${f(limit)} | **${f(s.median)}** | ${f(s.q1)} to ${f(s.q3)} | ${f(s.min)} to ${f(s.max)} | ${verdict(s, limit)} |`;
  }),
].join("\n");

// ---------------------------------------------------------------------------------------------
// Every case against its floor.

const floorLabel = {
  [WARM]: "sign",
  [COLD]: "import+sign",
  [BATCH_FLOOR]: "batch sign",
  [VERIFY]: "verify",
  [VERIFY_COLD]: "import+verify",
};
const casesTable = [
  `**Every case** (${ROUNDS} round${ROUNDS === 1 ? "" : "s"}; per round ${groups.map((g) => `${g.turns.toLocaleString("en")} turn${g.turns === 1 ? "" : "s"} of the ${floorLabel[g.name]} group`).join(", ")}):`,
  "",
  "| case | median µs per token or call | × floor (median) | × floor (min–max) | floor |",
  "|---|---:|---:|---:|---|",
  ...active.map((c) => {
    const us = (median(rounds.map((round) => median(round.get(c.name)))) * 1000) / (c.per ?? 1);
    const s = spread(roundRatios(rounds, c.name, c.floor));
    const x = c.name === c.floor ? "1.00" : `**${fmtX(s.median)}**`;
    return `| ${c.name} | ${fmtUs(us)} | ${x} | ${fmtX(s.min)}–${fmtX(s.max)} | ${floorLabel[c.floor]} |`;
  }),
].join("\n");

const version = (name) =>
  JSON.parse(readFileSync(new URL(`node_modules/${name}/package.json`, root), "utf8")).version;
const own = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const cpus = os.cpus();
const env = [
  `- Node ${process.versions.node} (V8 ${process.versions.v8}, OpenSSL ${process.versions.openssl}), ${process.platform} ${process.arch}; ${cpus[0]?.model ?? "unknown CPU"}, ${cpus.length} cores; load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after; ${((performance.now() - started) / 1000).toFixed(0)} s of rounds`,
  `- asc-token ${own.version} (this tree), jose ${version("jose")}, jsonwebtoken ${version("jsonwebtoken")}, fast-jwt ${version("fast-jwt")}, @tsndr/cloudflare-worker-jwt ${version("@tsndr/cloudflare-worker-jwt")}, @apple/app-store-server-library ${version("@apple/app-store-server-library")}`,
].join("\n");
const report = `${env}\n\n${budgetTable}\n\n${casesTable}`;
console.log(`\n${report}\n`);

/** `text` with the block named `name` replaced by `block` (or added at the end). */
const withBlock = (text, name, block) => {
  const marked = new RegExp(`<!-- ${name}:start[^]*?<!-- ${name}:end -->`);
  return marked.test(text) ? text.replace(marked, () => block) : `${text.trimEnd()}\n\n${block}\n`;
};
if (quick) {
  console.log("--quick: every case ran and every token verified (speed is not checked).");
} else if (only) {
  console.log("--only: RESULTS.md not written (it holds full runs only).");
} else if (ROUNDS < MIN_ROUNDS) {
  console.log(`${ROUNDS} rounds: RESULTS.md not written (it holds runs of ${MIN_ROUNDS} or more).`);
} else {
  const text = existsSync(resultsFile)
    ? readFileSync(resultsFile, "utf8")
    : "# Benchmarks and bundle size\n";
  const block = `<!-- bench:start (written by \`npm run bench\`; do not edit by hand) -->\n${report}\n<!-- bench:end -->`;
  writeFileSync(resultsFile, withBlock(text, "bench", block));
  console.log("Written to bench/RESULTS.md");
}
