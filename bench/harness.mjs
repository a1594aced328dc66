// Shared by bench/run.mjs and bench/compare.mjs: test keys, interleaved rounds, medians, ratios.
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";

export const ES256 = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };

/** Apple's .p8 PKCS#8 form (150 bytes, with the public key), built from the SEC1 export. */
const applePkcs8 = (sec1) => {
  const algorithmId = Buffer.from("301306072a8648ce3d020106082a8648ce3d030107", "hex");
  const content = Buffer.concat([
    Buffer.from("020100", "hex"),
    algorithmId,
    Buffer.from([0x04, sec1.length]),
    sec1,
  ]);
  return Buffer.concat([Buffer.from([0x30, 0x81, content.length]), content]);
};
const pem = (der) =>
  `-----BEGIN PRIVATE KEY-----\n${der
    .toString("base64")
    .match(/.{1,64}/g)
    .join("\n")}\n-----END PRIVATE KEY-----\n`;

/** A fresh P-256 key: Apple-form DER and PEM, a node KeyObject, and the public key. */
export const makeKey = () => {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const der = applePkcs8(privateKey.export({ type: "sec1", format: "der" }));
  return { der, pem: pem(der), keyObject: createPrivateKey(pem(der)), publicKey };
};

/**
 * A function that returns the next of `items` on each call, round-robin. Each cold case needs
 * its own: cases that take turns on one shared cycle would each see only every n-th key, few
 * enough for a key cache to hold them all.
 */
export const cycle = (items) => {
  let next = 0;
  return () => items[(next = (next + 1) % items.length)];
};

export const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** A seeded PRNG (mulberry32): the same sequence of orders on every run. */
export const seeded = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** Shuffles `items` in place (Fisher–Yates) with `random`. */
export const shuffle = (items, random) => {
  for (let j = items.length - 1; j > 0; j--) {
    const k = Math.floor(random() * (j + 1));
    [items[j], items[k]] = [items[k], items[j]];
  }
  return items;
};

/**
 * Per-call latencies (ms) of groups of cases, in `rounds` rounds. A group is `{ cases, turns }`,
 * its cases [name, fn] pairs. In each round every group, in a new shuffled order, takes `turns`
 * turns; in each turn every case of the group is called once, in a new shuffled order. So every
 * case meets the same machine as its floor, however the load of other processes comes and goes,
 * and no case always follows the same predecessor, whose after-effects (a hot worker thread, warm
 * caches, pending garbage) would bias it. A fifth of a round of turns per group warms up first
 * and is not kept. Returns one Map (name → latencies) per round; `progress(done)` after each.
 */
export const interleave = async (groups, rounds, progress = () => {}) => {
  const random = seeded(7);
  const turns = async ({ cases, turns: n }, record) => {
    for (let i = 0; i < n; i++) {
      for (const [name, fn] of shuffle([...cases], random)) {
        const t0 = performance.now();
        await fn();
        record?.get(name).push(performance.now() - t0);
      }
    }
  };
  for (const group of groups) await turns({ ...group, turns: Math.ceil(group.turns / 5) });
  const result = [];
  for (let round = 0; round < rounds; round++) {
    const record = new Map(groups.flatMap((g) => g.cases.map(([name]) => [name, []])));
    for (const group of shuffle([...groups], random)) await turns(group, record);
    result.push(record);
    progress(round + 1);
  }
  return result;
};

/** Per round: the median latency of `name` divided by the median latency of `floor`. */
export const roundRatios = (rounds, name, floor) =>
  rounds.map((round) => median(round.get(name)) / median(round.get(floor)));

/** The `q` quantile of `values` (0 ≤ q ≤ 1), interpolated between the two nearest ranks. */
export const quantile = (values, q) => {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * q;
  const low = Math.floor(at);
  return s[low] + (s[Math.min(low + 1, s.length - 1)] - s[low]) * (at - low);
};

/** Median, quartiles and extremes of per-round figures. */
export const spread = (values) => ({
  median: median(values),
  q1: quantile(values, 0.25),
  q3: quantile(values, 0.75),
  min: Math.min(...values),
  max: Math.max(...values),
});

export const fmtUs = (us) => (us >= 100 ? us.toFixed(0) : us.toFixed(1));
export const fmtX = (x) => x.toFixed(2);

/**
 * A minimal hand-written WebCrypto ES256 token, no validation at all: what the JSON, base64url
 * and promise work cost at the least, for reference beside a library.
 */
export const minimalToken = async (key, keyId, claims) => {
  const encoder = new TextEncoder();
  const b64 = (bytes) => {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
  };
  const input = `${b64(encoder.encode(JSON.stringify({ alg: "ES256", kid: keyId, typ: "JWT" })))}.${b64(encoder.encode(JSON.stringify(claims)))}`;
  const signature = await globalThis.crypto.subtle.sign(ES256, key, encoder.encode(input));
  return `${input}.${b64(new Uint8Array(signature))}`;
};
