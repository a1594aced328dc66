// format: what `decode`, `--json` and `demo` print about a token.

import { decodeToken } from "../index.js";

const iso = (seconds: unknown): string | undefined =>
  typeof seconds === "number" && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString()
    : undefined;

/** Header and claims of `token`, plus its times in readable form. */
export const describeToken = (token: string, nowMs = Date.now()) => {
  const { header, claims } = decodeToken(token);
  const { iat, exp } = claims;
  const times: Record<string, string | number> = {};
  const issued = iso(iat);
  const expires = iso(exp);
  if (issued) times.issuedAt = issued;
  if (expires) times.expiresAt = expires;
  if (typeof iat === "number" && typeof exp === "number") times.lifetimeSeconds = exp - iat;
  if (typeof exp === "number") {
    const left = Math.round(exp - nowMs / 1000);
    times.status = left > 0 ? `valid for ${String(left)} s more` : `expired ${String(-left)} s ago`;
  }
  return { header, claims, times };
};
