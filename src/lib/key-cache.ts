// key-cache: the library's one module-level cache. An import costs far more than a signature, and
// callers pass the same key text on every call, so each import is kept, by the exact input.
//
// Bound: 16 inputs; the least recently used goes first. A server with more keys than that
// re-imports, which costs time, never correctness.
//
// Exactness: the map key is the input itself, not a hash of it: the text as given (the caller's
// own string, so no new string is built per call), or the bytes written as decimal numbers; each
// entry also says which of the two it was read from, as the key reader treats them differently. A
// hit therefore needs the same input, character for character or byte for byte, and no collision
// can be constructed. The text held as a map key is the secret the CryptoKey it maps to already
// holds; SHA-256 of it would hold less but costs an async digest on every call, and a hit is meant
// to be cheap. A failed import is dropped, so it is retried.

/** An import kept: whether it was read from text (else bytes), and the CryptoKey it resolves to. */
interface Kept {
  readonly text: boolean;
  readonly key: Promise<CryptoKey>;
}

const imports = new Map<string, Kept>();

/**
 * The CryptoKey imported from `input` before, or `load()`'s, kept. `load` reads and checks the key
 * before anything is kept: input it throws for never evicts a good key.
 */
export const cachedImport = (
  input: string | Uint8Array,
  load: () => Promise<CryptoKey>,
): Promise<CryptoKey> => {
  const text = typeof input === "string";
  const id = text ? input : input.join();
  const kept = imports.get(id);
  if (kept?.text === text) {
    // Set again, as the most recently used.
    imports.delete(id);
    imports.set(id, kept);
    return kept.key;
  }
  const key = load();
  void key.catch(() => {
    if (imports.get(id)?.key === key) imports.delete(id);
  });
  if (imports.size > 15) imports.delete(imports.keys().next().value ?? "");
  imports.set(id, { text, key });
  return key;
};
