// read-bounded: the body of an answer from Apple's servers as text, its size bounded while it is
// read from a Web stream, so an answer of any size costs at most the limit in memory (Apple's token
// and key-set endpoints answer a few kilobytes). A `fetch` whose body is no Web stream (node-fetch
// 3) is read whole by its own `text()`, then refused past the limit.

/** The body of `response` as UTF-8 text, refused past `maxBytes` without reading further. */
export const readBounded = async (
  response: Response,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> => {
  const reader = response.body?.getReader();
  if (!reader) {
    const text = await response.text();
    if (text.length > maxBytes) throw tooLarge();
    return text;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
};
