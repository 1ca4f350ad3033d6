// The emulator clock (wall time plus the offset the test API sets) and calendar-date helpers.

export const dayMs = 86_400_000;

export type Clock = ReturnType<typeof createClock>;

export function createClock() {
  let clockOffsetMs = 0;
  return {
    now: () => Date.now() + clockOffsetMs,
    getClockOffset: () => clockOffsetMs,
    setClockOffset(offsetMs: number) {
      clockOffsetMs = offsetMs;
    },
  };
}

/** Adds calendar months to a YYYY-MM-DD date, clamping to the month's last day (Jan 31 + 1 → Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
