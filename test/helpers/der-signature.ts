// JWS ES256 signatures are raw r||s (IEEE P1363); OpenSSL's command line wants DER
// (SEQUENCE { INTEGER r, INTEGER s }). Written here, independently of asc-token.

const derInteger = (bytes: Uint8Array): Buffer => {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++; // minimal: no leading zeros
  let value = Buffer.from(bytes.subarray(start));
  if ((value[0] ?? 0) & 0x80) value = Buffer.concat([Buffer.from([0]), value]); // stay positive
  return Buffer.concat([Buffer.from([0x02, value.length]), value]);
};

/** DER ECDSA signature for a raw 64-byte P-256 `r||s` signature. */
export const p1363ToDer = (raw: Uint8Array): Buffer => {
  if (raw.length !== 64)
    throw new Error(`expected a 64-byte r||s signature, got ${String(raw.length)} bytes`);
  const body = Buffer.concat([derInteger(raw.subarray(0, 32)), derInteger(raw.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]); // at most 70 bytes: short length form
};
