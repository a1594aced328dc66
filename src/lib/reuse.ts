// reuse: a token and its times, and the one rule of its reuse, which the providers' engine and the
// store's acceptance of a shared token both apply.

/**
 * A token and when it was issued and stops being used, in epoch seconds. Frozen.
 *
 * @example
 * ```ts
 * const { token, expiresAt } = await provider.getTokenInfo();
 * setTimeout(renewSession, (expiresAt - 300) * 1000 - Date.now());
 * ```
 */
export interface TokenInfo {
  /** The compact JWT. */
  readonly token: string;
  /** Its `iat` claim. */
  readonly issuedAt: number;
  /** Its `exp` claim, or `iat + maxAge` when that is earlier or there is no `exp`. */
  readonly expiresAt: number;
}

/**
 * The one rule of a token's reuse, for the provider's own tokens and for shared ones alike: the
 * seconds it may still be handed out before the provider replaces it (`refreshBefore` before it
 * expires); 0 or less to replace it. A token whose `iat` lies in this clock's future is never
 * handed out: Apple refuses it.
 */
export const reuseLeft = (info: TokenInfo, refreshBefore: number, now: number): number =>
  info.issuedAt > now ? 0 : info.expiresAt - refreshBefore - now;
