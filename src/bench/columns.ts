// The measured quantities as tables and figures show them: each column's unit
// comes from spec/tidy-row.schema.json (`unit`), its short name and the unit
// it is shown in from MEASURES below; headers ("prove s", "proof KiB"), axis
// titles and the scaling between the two are derived, never typed again.
import { type TidyRow, specSchema } from "../spec/records.js";

/** How a value stored in a unit converts to one shown. */
const CONVERSIONS: Record<string, Record<string, number>> = {
  ms: { ms: 1, s: 1e-3, min: 1 / 60_000 },
  bytes: { bytes: 1, KiB: 1 / 1024, MiB: 1 / 2 ** 20, GiB: 1 / 2 ** 30 },
};

/** The measured columns: a short name, and the unit tables and figures show. */
export const MEASURES = {
  prove_ms: { name: "prove", shown: "s", axis: "prove time" },
  verify_ms: { name: "verify", shown: "ms", axis: "verify time" },
  setup_ms: { name: "setup", shown: "s", axis: "setup time" },
  wall_ms: { name: "wall", shown: "s", axis: "wall time" },
  proof_bytes: { name: "proof", shown: "KiB", axis: "proof size" },
  peak_rss_host_bytes: { name: "peak RSS", shown: "MiB", axis: "peak memory" },
  total_cycles: { name: "cycles", shown: "cycles", axis: "cycles" },
  work_per_sample: { name: "work/sample", shown: "cycles or rows", axis: "work per sample" },
  cycles_per_second: { name: "cycles/s", shown: "cycles/s", axis: "cycles per second of proving" },
} as const satisfies Partial<Record<keyof TidyRow, { name: string; shown: string; axis: string }>>;

export type Measure = keyof typeof MEASURES;

/** The unit a tidy column is stored in (spec/tidy-row.schema.json), or null. */
export function unitOf(column: keyof TidyRow): string | null {
  return specSchema("tidy-row").properties[column]?.unit ?? null;
}

/** The factor from a column's stored unit to `shown` (default: its MEASURES unit). */
export function scaleOf(column: Measure, shown: string = MEASURES[column].shown): number {
  const unit = unitOf(column);
  if (unit === shown) return 1;
  const factor = unit === null ? undefined : CONVERSIONS[unit]?.[shown];
  if (factor === undefined) throw new Error(`column ${column} is stored in ${unit}: it cannot be shown in ${shown}`);
  return factor;
}

/** A table header: the short name and the unit shown ("prove s"; a count's unit is its name). */
export function headerOf(column: Measure, shown: string = MEASURES[column].shown): string {
  const { name } = MEASURES[column];
  return name === shown ? name : `${name} ${shown}`;
}

/** A figure's axis title: "prove time (s)". */
export function axisTitleOf(column: Measure, shown: string = MEASURES[column].shown): string {
  const { axis } = MEASURES[column];
  return axis === shown ? axis : `${axis} (${shown})`;
}

/** A value in the unit shown, with `digits` decimals; null stays null. */
export function shown(column: Measure, value: number | null, digits: number, unit: string = MEASURES[column].shown): string | null {
  return value === null ? null : (value * scaleOf(column, unit)).toFixed(digits);
}
