/** `张三丰` → `张**`: enough for the driver to recognise, not enough to identify. */
export function maskName(name: string): string {
  const chars = [...name];
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}
