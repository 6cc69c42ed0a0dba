/** The service runs on Beijing time whatever the server's clock zone is (ICU's time-zone database). */
export const SERVICE_TIME_ZONE = 'Asia/Shanghai';

const DATE = new Intl.DateTimeFormat('en-CA', { timeZone: SERVICE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Asia/Shanghai, YYYY-MM-DD. */
export function shanghaiToday(now: Date = new Date()): string {
  return DATE.format(now);
}
