/**
 * A UUID-v4-shaped Idempotency-Key. It only has to keep one driver's retries apart from their other
 * calls, and it is no secret, so Math.random is enough (wx.getRandomValues is async and newer).
 */
export function newIdempotencyKey(): string {
  const hex = (digits: number): string => {
    let out = '';
    for (let i = 0; i < digits; i += 1) out += Math.floor(Math.random() * 16).toString(16);
    return out;
  };
  const variant = (8 + Math.floor(Math.random() * 4)).toString(16);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
}
