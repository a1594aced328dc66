// key-cache: the library's one module-level cache. An import costs far more than a signature, and
// callers pass the same key text on every call, so each import is kept, by the exact input.
//
// Bound: 16 inputs; the least recently used goes first. A server with more keys than that
// re-imports, which costs time, never correctness.
//
// Exactness: the map key is the input itself, not a hash of it: the text as given, or the bytes
// written as decimal numbers, behind a prefix that tells the two apart (`t` text, `b` bytes, which
// the key reader treats differently). A hit therefore needs the same input, character for character
// or byte for byte, and no collision can be constructed. The text held as a map key is the secret
// the CryptoKey it maps to already holds; SHA-256 of it would hold less but costs an async digest
// on every call, and a hit is meant to be cheap. A failed import is dropped, so it is retried.

const imports = new Map<string, Promise<CryptoKey>>();

/** The map key of `input`: its kind's prefix, then its text, or its bytes in decimal. */
const keyOf = (input: string | Uint8Array): string =>
  typeof input === "string" ? `t${input}` : `b${input.join()}`;

/**
 * The CryptoKey imported from `input` before, or `load()`'s, kept. `load` reads and checks the key
 * before anything is kept: input it throws for never evicts a good key.
 */
export const cachedImport = (
  input: string | Uint8Array,
  load: () => Promise<CryptoKey>,
): Promise<CryptoKey> => {
  const id = keyOf(input);
  let key = imports.get(id);
  if (key) {
    imports.delete(id); // set again below, as the most recently used
  } else {
    const loading = load();
    key = loading;
    void loading.catch(() => {
      if (imports.get(id) === loading) imports.delete(id);
    });
    if (imports.size > 15) imports.delete(imports.keys().next().value ?? "");
  }
  imports.set(id, key);
  return key;
};
