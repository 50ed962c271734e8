// Calendar windows in whole UTC days. By default the horizon is the last
// horizonDays calendar days of the log, its last day included, and the cutoff
// is the midnight that starts it; calibration is everything before the cutoff.
// A cutoff or horizon the data cannot fill is an error, never moved silently.
export const DAY_MS = 86_400_000;

export class WindowError extends Error {
  override name = "WindowError";
}

export interface CalendarWindow {
  /** First transaction (calibration starts here). */
  firstTransaction: Date;
  lastTransaction: Date;
  /** UTC midnight: calibration is before it, the horizon starts at it. */
  cutoff: Date;
  /** Exclusive end of the horizon: the cutoff plus horizonDays. */
  horizonEnd: Date;
  horizonDays: number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

/** Parse a --cutoff value: a calendar day (YYYY-MM-DD, read as UTC midnight). */
export function parseCutoffDay(text: string, source = "--cutoff"): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || isoDay(ms) !== text.trim()) throw new WindowError(`${source} ${JSON.stringify(text)} is not a date (use YYYY-MM-DD, a UTC calendar day)`);
  return new Date(ms);
}

export function calendarWindow(firstMs: number, lastMs: number, o: { cutoff?: Date; horizonDays: number }): CalendarWindow {
  const { horizonDays } = o;
  if (!Number.isInteger(horizonDays) || horizonDays < 1) throw new WindowError(`the horizon must be a whole number of days ≥ 1, got ${horizonDays}`);
  const dataEnd = startOfDay(lastMs) + DAY_MS; // the end of the log's last day
  let cutoffMs: number;
  if (o.cutoff) {
    cutoffMs = o.cutoff.getTime();
    if (!Number.isFinite(cutoffMs)) throw new WindowError(`cutoff ${String(o.cutoff)} is not a valid date`);
    if (cutoffMs !== startOfDay(cutoffMs)) throw new WindowError(`cutoff ${o.cutoff.toISOString()} is not a UTC midnight: cutoffs are whole days`);
    if (cutoffMs > lastMs)
      throw new WindowError(`cutoff ${isoDay(cutoffMs)} is after the last transaction (${isoDay(lastMs)}): the horizon would hold no data`);
    if (cutoffMs + horizonDays * DAY_MS > dataEnd)
      throw new WindowError(
        `cutoff ${isoDay(cutoffMs)} + ${horizonDays} days ends ${isoDay(cutoffMs + horizonDays * DAY_MS)}, after the log's last day ${isoDay(lastMs)}: ` +
          `the target would count days with no data (latest cutoff for this horizon: ${isoDay(dataEnd - horizonDays * DAY_MS)})`,
      );
  } else {
    cutoffMs = dataEnd - horizonDays * DAY_MS;
  }
  if (cutoffMs <= firstMs)
    throw new WindowError(
      `cutoff ${isoDay(cutoffMs)} is not after the first transaction (${isoDay(firstMs)}): no calibration data to learn from ` +
        `(the log spans ${Math.round((dataEnd - startOfDay(firstMs)) / DAY_MS)} days, the horizon ${horizonDays})`,
    );
  return {
    firstTransaction: new Date(firstMs),
    lastTransaction: new Date(lastMs),
    cutoff: new Date(cutoffMs),
    horizonEnd: new Date(cutoffMs + horizonDays * DAY_MS),
    horizonDays,
  };
}
