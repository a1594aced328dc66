// Compares builds of asc-token side by side in one process run, each against the same floors:
//
//   node bench/compare.mjs old=path/to/old/index.js new=dist/index.js [--rounds 9]
//
// To measure a change, keep a copy of dist/index.js from before it (or build an older commit in
// a `git worktree`), rebuild, and pass both. Reports the three asc-token cases of `npm run bench`
// (imported key, PEM string every call, cold) as ratios to their floors, and the JS work per
// token with WebCrypto's sign replaced by an instant stub (CPU µs, the part a library controls).
// `--rounds 0` measures only the JS work (quick, and steadier on a busy machine).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ES256, fmtUs, fmtX, makeKey, median, minimalToken, runRounds, summarize } from "./harness.mjs";

const args = process.argv.slice(2);
const roundsIndex = args.indexOf("--rounds");
const rounds = roundsIndex >= 0 ? Number(args[roundsIndex + 1]) : 9;
const builds = args.filter((a) => a.includes("=")).map((a) => {
  const [label, path] = a.split("=");
  return { label, path: resolve(path) };
});
if (builds.length === 0) {
  console.error("usage: node bench/compare.mjs label=path/to/index.js [label=...] [--rounds N]");
  process.exit(2);
}
for (const build of builds) build.api = await import(pathToFileURL(build.path).href);

const { subtle } = globalThis.crypto;
const key = makeKey();
const cryptoKey = await subtle.importKey("pkcs8", key.der, ES256, false, ["sign"]);
const pool = Array.from({ length: 48 }, makeKey);
let next = 0;
const coldKey = () => pool[(next = (next + 1) % pool.length)];
const options = { keyId: "2X9R4HXF34", issuerId: "57246542-96fe-1a63-e053-0824d011072a" };
const claims = () => {
  const iat = Math.floor(Date.now() / 1000) - 60;
  return { iss: options.issuerId, iat, exp: iat + 1140, aud: "appstoreconnect-v1" };
};
const sample = await builds[0].api.createAscToken({ ...options, privateKey: cryptoKey });
const input = new TextEncoder().encode(sample.split(".").slice(0, 2).join("."));

const WARM = "floor: subtle.sign";
const COLD = "floor: importKey + sign";
const cases = [
  { name: WARM, floor: WARM, fn: () => subtle.sign(ES256, cryptoKey, input) },
  { name: "minimal hand-written token", floor: WARM, fn: () => minimalToken(cryptoKey, options.keyId, claims()) },
  { name: COLD, floor: COLD, fn: async () => subtle.sign(ES256, await subtle.importKey("pkcs8", coldKey().der, ES256, false, ["sign"]), input), slow: true },
  ...builds.flatMap(({ label, api }) => [
    { name: `${label}: imported CryptoKey`, floor: WARM, fn: () => api.createAscToken({ ...options, privateKey: cryptoKey }) },
    { name: `${label}: PEM string every call`, floor: WARM, fn: () => api.createAscToken({ ...options, privateKey: key.pem }) },
    { name: `${label}: cold, new PEM every call`, floor: COLD, fn: () => api.createAscToken({ ...options, privateKey: coldKey().pem }), slow: true },
  ]),
];
const budget = (c) => ({ time: c.slow ? 250 : 200, iterations: 32, warmupTime: 40, warmupIterations: 8 });
const samples = rounds > 0 ? await runRounds(cases, rounds, budget, (round, s) => process.stderr.write(`round ${round}/${rounds} (${s.toFixed(0)} s)\n`)) : undefined;

// JS work per token: the same calls with crypto.subtle.sign answering at once.
const signature = new Uint8Array(64).buffer;
const realSign = subtle.sign;
const jsWork = new Map();
try {
  subtle.sign = () => Promise.resolve(signature);
  for (let round = 0; round < 5; round++) {
    for (const { label, api } of [...builds, { label: "minimal", api: { createAscToken: ({ privateKey }) => minimalToken(privateKey, options.keyId, claims()) } }]) {
      for (const [kind, privateKey] of [["imported", cryptoKey], ["pem", label === "minimal" ? cryptoKey : key.pem]]) {
        const fn = () => api.createAscToken({ ...options, privateKey });
        for (let i = 0; i < 2000; i++) await fn();
        // CPU time of this thread, not wall time: steadier when other processes share the cores.
        const t0 = process.cpuUsage();
        for (let i = 0; i < 20000; i++) await fn();
        const { user, system } = process.cpuUsage(t0);
        const list = jsWork.get(`${label}/${kind}`) ?? [];
        list.push((user + system) / 20000);
        jsWork.set(`${label}/${kind}`, list);
      }
    }
  }
} finally {
  subtle.sign = realSign;
}

if (!samples) {
  console.log("\n| build | JS µs/token, key / PEM (sign stubbed) |\n|---|---:|");
  for (const { label } of [...builds, { label: "minimal" }]) console.log(`| ${label} | ${fmtUs(median(jsWork.get(`${label}/imported`)))} / ${fmtUs(median(jsWork.get(`${label}/pem`)))} |`);
  process.exit(0);
}
console.log(`\n${rounds} rounds. Ratios: median (min–max) over rounds, to the floor of the same round.\n`);
console.log("| build | imported key × sign | PEM every call × sign | cold × import+sign | JS µs/token, key / PEM (sign stubbed) |");
console.log("|---|---:|---:|---:|---:|");
const cell = (name) => {
  const { ratio, min, max } = summarize(samples, cases.find((c) => c.name === name));
  return `${fmtX(ratio)} (${fmtX(min)}–${fmtX(max)})`;
};
for (const { label } of builds) {
  console.log(`| ${label} | ${cell(`${label}: imported CryptoKey`)} | ${cell(`${label}: PEM string every call`)} | ${cell(`${label}: cold, new PEM every call`)} | ${fmtUs(median(jsWork.get(`${label}/imported`)))} / ${fmtUs(median(jsWork.get(`${label}/pem`)))} |`);
}
const minimal = summarize(samples, cases.find((c) => c.name === "minimal hand-written token"));
console.log(`| minimal hand-written token (reference) | ${fmtX(minimal.ratio)} (${fmtX(minimal.min)}–${fmtX(minimal.max)}) | | | ${fmtUs(median(jsWork.get("minimal/imported")))} |`);
console.log(`\nfloors: subtle.sign ${fmtUs(median(samples.get(WARM)))} µs, importKey + sign ${fmtUs(median(samples.get(COLD)))} µs (medians)`);
