// Shared by bench/run.mjs and bench/compare.mjs: test keys, interleaved rounds, medians, ratios.
import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Bench } from "tinybench";

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
 * Runs every case once per round for `rounds` rounds, in a new shuffled order each round, each
 * as a short tinybench run. Returns µs per op (divided by `case.per` for batches) by case name,
 * one value per round.
 */
export const runRounds = async (cases, rounds, budget, progress = () => {}) => {
  const samples = new Map(cases.map((c) => [c.name, []]));
  const started = performance.now();
  const random = seeded(1);
  for (let round = 0; round < rounds; round++) {
    for (const c of shuffle([...cases], random)) {
      const bench = new Bench({ ...budget(c), throws: true });
      bench.add(c.name, c.fn);
      await bench.run();
      samples.get(c.name).push((bench.tasks[0].result.latency.p50 * 1000) / (c.per ?? 1));
    }
    progress(round + 1, (performance.now() - started) / 1000);
  }
  return samples;
};

/**
 * Per-call latencies (ms) of `cases` ([name, fn] pairs), taking turns call by call in a new
 * shuffled order each turn, `n` turns, in 5 blocks (the first tenth of the turns is warm-up).
 * Every case then sees the same machine, however the load of other processes comes and goes; a
 * fixed order would give each case the same predecessor, whose after-effects bias the next call.
 */
export const interleave = async (cases, n) => {
  const blocks = Array.from({ length: 5 }, () => new Map(cases.map(([name]) => [name, []])));
  const random = seeded(7);
  for (let i = 0; i < n; i++) {
    const block = blocks[Math.floor((i * 5) / n)];
    for (const [name, fn] of shuffle([...cases], random)) {
      const t0 = performance.now();
      await fn();
      if (i >= n / 10) block.get(name).push(performance.now() - t0);
    }
  }
  return blocks.filter((block) => block.values().next().value.length > 0);
};

/** Median over blocks of (median latency of `name`) / (median latency of `floor`), and min–max. */
export const blockRatio = (blocks, name, floor) => {
  const ratios = blocks.map((block) => median(block.get(name)) / median(block.get(floor)));
  return {
    us: median(blocks.map((block) => median(block.get(name)))) * 1000,
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  };
};

/** Median µs, and the median and min–max of the per-round ratios to the case's floor. */
export const summarize = (samples, c) => {
  const own = samples.get(c.name);
  const base = samples.get(c.floor);
  const ratios = own.map((v, i) => v / base[i]);
  return {
    us: median(own),
    ratio: median(ratios),
    min: Math.min(...ratios),
    max: Math.max(...ratios),
  };
};

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
