/**
 * What ops type is Beijing wall-clock time, whatever the desk machine's zone: "2026-11-25 12:00" means
 * 12:00 in Beijing. China keeps no daylight saving, so the offset is always +08:00.
 */
export function beijingInputToIso(value: string): string {
  return `${value.trim().replace(' ', 'T')}:00+08:00`;
}
