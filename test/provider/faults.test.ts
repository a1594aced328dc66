// The provider under faults: a failed refresh serves the still-good cached token (stale-while-error)
// and reports to onError; a mint that never settles gives MINT_TIMEOUT and the next call mints again.
// When the clock jumps back, a cached token whose iat is now in the future by more than the
// backdating is not served (Apple refuses it); a new one is minted.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, expect, it, vi } from "vitest";
import {
  type AscTokenError,
  type AscTokenOptions,
  createAscToken,
  createAscTokenProvider,
  createTokenProvider,
} from "../../src/index.js";
import { NOW, ascOptions } from "../helpers/kinds.js";
import { decodeToken } from "../helpers/verify.js";

const base = ascOptions();

/** A mint that signs for real until `failing` is set, then rejects with SIGN_FAILED. */
const flaky = () => {
  const state = { failing: false, calls: 0 };
  const mint = async (options: AscTokenOptions): Promise<string> => {
    state.calls++;
    if (state.failing) {
      throw Object.assign(new Error("the signer is down"), { code: "SIGN_FAILED" });
    }
    return createAscToken(options);
  };
  return { state, mint };
};

afterEach(() => {
  vi.useRealTimers();
});

it("a failed refresh while the token is still good serves it, reports to onError, retries later", async () => {
  let clock = NOW;
  const { state, mint } = flaky();
  const errors: unknown[] = [];
  const provider = createTokenProvider(mint, {
    ...base,
    now: () => clock,
    onError: (error) => {
      errors.push(error);
      throw new Error("a reporter that throws is ignored");
    },
  });
  const first = await provider.getToken();
  expect(state.calls).toBe(1);
  clock += 800_000; // past the 780 s reuse window: 280 s left, a refresh is due
  state.failing = true;
  const [a, b] = await Promise.all([provider.getToken(), provider.getToken()]);
  expect([a, b]).toEqual([first, first]);
  expect(state.calls).toBe(2); // one refresh for both callers
  expect(errors).toHaveLength(1);
  expect((errors[0] as AscTokenError).code).toBe("SIGN_FAILED");
  // A tight loop right after does not hammer the mint.
  for (let i = 0; i < 20; i++) expect(await provider.getToken()).toBe(first);
  expect(state.calls).toBe(2);
  // A later call retries; once it succeeds the new token is served.
  clock += 5_000;
  state.failing = false;
  const second = await provider.getToken();
  expect(state.calls).toBe(3);
  expect(second).not.toBe(first);
  expect(await provider.getToken()).toBe(second);
});

it("a failed refresh with no good token left rejects with the mint's code", async () => {
  let clock = NOW;
  const { state, mint } = flaky();
  const onError = vi.fn();
  const provider = createTokenProvider(mint, { ...base, now: () => clock, onError });
  const first = await provider.getToken();
  state.failing = true;
  clock += 1_049_000; // 31 s left: still served
  expect(await provider.getToken()).toBe(first);
  expect(onError).toHaveBeenCalledTimes(1);
  clock += 11_000; // 20 s left: inside the 30 s safety margin
  await expect(provider.getToken()).rejects.toMatchObject({ code: "SIGN_FAILED" });
  clock += 60_000; // expired
  await expect(provider.getToken()).rejects.toMatchObject({ code: "SIGN_FAILED" });
  expect(onError).toHaveBeenCalledTimes(1); // the caller got this error: not reported twice
});

it("a mint that never settles gives MINT_TIMEOUT after mintTimeout; the next call mints again", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  let hang = true;
  let calls = 0;
  const mint = (options: AscTokenOptions): Promise<string> => {
    calls++;
    return hang ? new Promise<string>(() => undefined) : createAscToken(options);
  };
  const provider = createTokenProvider(mint, { ...base, now: () => NOW, mintTimeout: 500 });
  const waiting = Promise.all([provider.getToken(), provider.getToken()]);
  const settled = waiting.catch((error: unknown) => error);
  await vi.advanceTimersByTimeAsync(499);
  expect(vi.getTimerCount()).toBe(1);
  await vi.advanceTimersByTimeAsync(1);
  expect(await settled).toMatchObject({ name: "AscTokenError", code: "MINT_TIMEOUT" });
  expect(calls).toBe(1);
  hang = false;
  const token = await provider.getToken();
  expect(token.split(".")).toHaveLength(3);
  expect(calls).toBe(2);
  expect(vi.getTimerCount()).toBe(0); // the successful mint's timer is cleared
});

it("a late result of a timed-out mint is not cached", async () => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
  let release: (() => void) | undefined;
  let calls = 0;
  const mint = async (options: AscTokenOptions): Promise<string> => {
    calls++;
    if (calls === 1) await new Promise<void>((resolve) => (release = resolve));
    return createAscToken({ ...options, expiresIn: 1000 + calls });
  };
  const provider = createTokenProvider(mint, { ...base, now: () => NOW, mintTimeout: 100 });
  const first = provider.getToken().catch((error: unknown) => error);
  await vi.advanceTimersByTimeAsync(100);
  expect(await first).toMatchObject({ code: "MINT_TIMEOUT" });
  release?.();
  await vi.advanceTimersByTimeAsync(0);
  const { expiresAt, issuedAt } = await provider.getTokenInfo();
  expect(expiresAt - issuedAt).toBe(1002); // the second mint's token
  expect(calls).toBe(2);
});

it("the mint timer does not keep a Node process alive", () => {
  const script = `
    import { createTokenProvider } from ${JSON.stringify(fileURLToPath(new URL("../../dist/index.js", import.meta.url)))};
    const options = { keyId: "2X9R4HXF34", privateKey: ${JSON.stringify(base.privateKey)}, maxAge: 600 };
    const hang = () => new Promise(() => {});
    const quick = createTokenProvider(hang, { ...options, mintTimeout: 50 });
    const slow = createTokenProvider(hang, { ...options, mintTimeout: 600000 });
    void slow.getToken();
    setTimeout(() => {}, 300); // holds the process until the quick timeout has fired
    await quick.getToken().catch((error) => process.stdout.write(error.code));
  `;
  const started = Date.now();
  const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
    timeout: 20_000,
    encoding: "utf8",
  });
  expect(out).toBe("MINT_TIMEOUT");
  expect(Date.now() - started).toBeLessThan(15_000);
});

it.each([0, -1, 1.5, "100", Number.NaN, 2 ** 31])(
  "mintTimeout %s → INVALID_OPTIONS",
  (mintTimeout) => {
    expect(() =>
      createTokenProvider(createAscToken, { ...base, mintTimeout: mintTimeout as number }),
    ).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }) as Error);
  },
);

it("onError that is not a function → INVALID_OPTIONS", () => {
  expect(() => createTokenProvider(createAscToken, { ...base, onError: "log" as never })).toThrow(
    expect.objectContaining({ code: "INVALID_OPTIONS" }) as Error,
  );
});

it.each([
  ["default tolerance (60 s)", undefined, 61],
  ["clockTolerance 10", 10, 11],
])("clock back past the tolerance, %s: mints again", async (_, clockTolerance, back) => {
  let clock = NOW;
  const provider = createAscTokenProvider({ ...base, clockTolerance, now: () => clock });
  const first = await provider.getToken();
  const issued = decodeToken(first).claims.iat as number;
  clock -= (back - 1) * 1000; // back by exactly the tolerance: iat is "now", still fine
  expect(await provider.getToken()).toBe(first);
  clock -= 2000; // now past it
  const second = await provider.getToken();
  expect(second).not.toBe(first);
  expect(decodeToken(second).claims.iat).toBeLessThan(issued);
  expect(decodeToken(second).claims.iat).toBeLessThanOrEqual(clock / 1000);
});
