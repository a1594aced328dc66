// The providers' `store` option: providers sharing one store sign once and hand out the same
// token; a store that throws never fails a call (local mint, reported to onError).
import { expect, it, vi } from "vitest";
import {
  createAscToken,
  createAscTokenProvider,
  createMemoryStore,
  createTokenProvider,
} from "../../src/index.js";
import { storeKeyFor } from "../../src/store/key.js";
import { NOW, ascOptions } from "../helpers/kinds.js";

const base = { ...ascOptions(), now: () => NOW };

it("two providers over one store sign once and share the token", async () => {
  const store = createMemoryStore(() => NOW);
  const sign = vi.spyOn(crypto.subtle, "sign");
  const onError = vi.fn();
  const a = createTokenProvider(createAscToken, { ...base, store, onError });
  const b = createTokenProvider(createAscToken, { ...base, store, onError });
  const first = await a.getToken();
  expect(await b.getToken()).toBe(first);
  expect(sign).toHaveBeenCalledTimes(1);
  sign.mockRestore();
  expect(onError).not.toHaveBeenCalled();
  expect([...store.entries.keys()]).toContain(await storeKeyFor("createAscToken", base));
});

it("createAscTokenProvider takes store and storeKey", async () => {
  const store = createMemoryStore(() => NOW);
  const options = { ...base, store, storeKey: "asc-token:v1:mine", mintTimeout: 5000 };
  const a = createAscTokenProvider(options);
  const b = createAscTokenProvider({ ...options, onError: () => undefined });
  expect(await a.getToken()).toBe(await b.getToken());
  expect([...store.entries.keys()]).toContain("asc-token:v1:mine");
});

it("a store that throws: the token is minted locally and the fault goes to onError", async () => {
  const down = (): never => {
    throw new Error("ECONNREFUSED");
  };
  const store = { get: down, setIfAbsent: down, set: down };
  const onError = vi.fn();
  const provider = createAscTokenProvider({ ...base, store, onError });
  const token = await provider.getToken();
  expect(token.split(".")).toHaveLength(3);
  expect(onError).toHaveBeenCalled();
  expect(onError.mock.calls[0]?.[0]).toMatchObject({ code: "STORE_UNAVAILABLE" });
});

it("provider-only options stay out of the store key", async () => {
  const key = await storeKeyFor("createAscToken", base);
  expect(
    await storeKeyFor("createAscToken", {
      ...base,
      onError: () => undefined,
      mintTimeout: 5,
    }),
  ).toBe(key);
});

it("a bad store or a storeKey without store → INVALID_OPTIONS", () => {
  expect(() => createAscTokenProvider({ ...base, store: {} as never })).toThrow(
    expect.objectContaining({ code: "INVALID_OPTIONS" }) as Error,
  );
  expect(() => createAscTokenProvider({ ...base, storeKey: "asc-token:v1:x" })).toThrow(
    expect.objectContaining({ code: "INVALID_OPTIONS" }) as Error,
  );
});
