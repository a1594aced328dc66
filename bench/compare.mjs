// Compares builds of asc-token side by side in one process run, each against the same floors:
//
//   node bench/compare.mjs old=path/to/old/index.js new=dist/index.js [--calls 6000]
//
// To measure a change, keep a copy of dist/index.js from before it (or build an older commit in
// a `git worktree`), rebuild, and pass both. For A/B work this is steadier than `npm run bench`:
// the cases take turns call by call, in a shuffled order, so a burst of load from another
// process hits all of them alike. The run is cut into 15 rounds; in each, a case's median
// latency is divided by its floor's. Reported: the median of those ratios, and their min–max.
//
// Reports, per build: an imported CryptoKey and the PEM string every call (× crypto.subtle.sign),
// a new PEM every call (× importKey + sign), and the JS work per token with WebCrypto answering
// at once (CPU µs with sign and importKey stubbed: the part a library controls).
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
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
const callsIndex = args.indexOf("--calls");
const calls = callsIndex >= 0 ? Number(args[callsIndex + 1]) : 6000;
const builds = args
  .filter((a) => a.includes("="))
  .map((a) => {
    const [label, path] = a.split("=");
    return { label, url: pathToFileURL(resolve(path)).href };
  });
if (builds.length === 0) {
  console.error("usage: node bench/compare.mjs label=path/to/index.js [label=...] [--calls N]");
  process.exit(2);
}
// The first module loaded measured ~2 % slower than an identical copy loaded after it: load a
// throwaway copy first so that no build is the first.
await import(`${builds[0].url}?throwaway`);
for (const build of builds) build.api = await import(build.url);

const { subtle } = globalThis.crypto;
const key = makeKey();
const cryptoKey = await subtle.importKey("pkcs8", key.der, ES256, false, ["sign"]);
const pool = Array.from({ length: 48 }, makeKey);
const coldKey = cycle(pool);
const options = { keyId: "2X9R4HXF34", issuerId: "57246542-96fe-1a63-e053-0824d011072a" };
/**
 * The options of one call, as a caller writes them: an object literal. Not
 * `{ ...options, privateKey }`, whose every object gets a hidden class of its own on Node 20
 * (bench/RESULTS.md, "How speed is measured").
 */
const ascOptions = (privateKey) => ({
  keyId: options.keyId,
  issuerId: options.issuerId,
  privateKey,
});
const claims = () => {
  const iat = Math.floor(Date.now() / 1000) - 60;
  return { iss: options.issuerId, iat, exp: iat + 1140, aud: "appstoreconnect-v1" };
};
const sample = await minimalToken(cryptoKey, options.keyId, claims());
const input = new TextEncoder().encode(sample.split(".").slice(0, 2).join("."));

const ROUNDS = 15;
const ratio = (name, floor) => {
  const { median: x, min, max } = spread(roundRatios(rounds, name, floor));
  return `${fmtX(x)} (${fmtX(min)}–${fmtX(max)})`;
};

const warm = {
  turns: Math.ceil(calls / ROUNDS),
  cases: [
    ["floor", () => subtle.sign(ES256, cryptoKey, input)],
    ["minimal", () => minimalToken(cryptoKey, options.keyId, claims())],
    ...builds.flatMap(({ label, api }) => [
      [`${label}/key`, () => api.createAscToken(ascOptions(cryptoKey))],
      [`${label}/pem`, () => api.createAscToken(ascOptions(key.pem))],
    ]),
  ],
};
const coldFloorKey = cycle(pool);
const cold = {
  turns: Math.ceil(calls / 8 / ROUNDS),
  cases: [
    [
      "cold floor",
      async () =>
        subtle.sign(
          ES256,
          await subtle.importKey("pkcs8", coldFloorKey().der, ES256, false, ["sign"]),
          input,
        ),
    ],
    ...builds.map(({ label, api }) => {
      const next = cycle(pool);
      return [`${label}/cold`, () => api.createAscToken(ascOptions(next().pem))];
    }),
  ],
};
const rounds = await interleave([warm, cold], ROUNDS);

// JS work per token: the same calls with WebCrypto answering at once.
const signature = new Uint8Array(64).buffer;
const { sign: realSign, importKey: realImport } = subtle;
const jsWork = new Map();
try {
  subtle.sign = () => Promise.resolve(signature);
  subtle.importKey = () => Promise.resolve(cryptoKey);
  const runs = [
    ...builds,
    {
      label: "minimal",
      api: {
        createAscToken: ({ privateKey }) => minimalToken(privateKey, options.keyId, claims()),
      },
    },
  ];
  for (let round = 0; round < 5; round++) {
    for (const { label, api } of runs) {
      const kinds =
        label === "minimal"
          ? [["key", () => cryptoKey]]
          : [
              ["key", () => cryptoKey],
              ["pem", () => key.pem],
              ["cold", () => coldKey().pem],
            ];
      for (const [kind, privateKey] of kinds) {
        const fn = () => api.createAscToken(ascOptions(privateKey()));
        for (let i = 0; i < 1000; i++) await fn();
        // CPU time, not wall time: steadier when other processes share the cores.
        const t0 = process.cpuUsage();
        for (let i = 0; i < 10000; i++) await fn();
        const { user, system } = process.cpuUsage(t0);
        jsWork.set(`${label}/${kind}`, [
          ...(jsWork.get(`${label}/${kind}`) ?? []),
          (user + system) / 10000,
        ]);
      }
    }
  }
} finally {
  Object.assign(subtle, { sign: realSign, importKey: realImport });
}
const js = (name) => (jsWork.has(name) ? fmtUs(median(jsWork.get(name))) : "–");

console.log(
  `\n${warm.turns * ROUNDS} warm and ${cold.turns * ROUNDS} cold calls per case, interleaved call by call. Ratios: median (min–max over ${ROUNDS} rounds).\n`,
);
console.log(
  "| build | imported key × sign | PEM every call × sign | new PEM every call × import+sign | JS µs/token: key / PEM / new PEM |",
);
console.log("|---|---:|---:|---:|---:|");
for (const { label } of builds) {
  console.log(
    `| ${label} | ${ratio(`${label}/key`, "floor")} | ${ratio(`${label}/pem`, "floor")} | ${ratio(`${label}/cold`, "cold floor")} | ${js(`${label}/key`)} / ${js(`${label}/pem`)} / ${js(`${label}/cold`)} |`,
  );
}
console.log(
  `| minimal hand-written token, no checks | ${ratio("minimal", "floor")} | | | ${js("minimal/key")} |`,
);
const floorUs = (name) => fmtUs(median(rounds.map((round) => median(round.get(name)))) * 1000);
console.log(
  `\nfloors (median µs): crypto.subtle.sign ${floorUs("floor")}, importKey + sign ${floorUs("cold floor")}`,
);
