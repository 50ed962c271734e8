// Timestamp formats: any chrono/strftime pattern (date-only ones parse as a
// Date, since polars yields null when a Datetime pattern has no time), ISO
// 8601 with a zone, and epoch seconds or milliseconds. Everything ends as a
// UTC Datetime in ms; unparsable text becomes null, reported by the cleaner.
import pl from "nodejs-polars";

/** Format keywords besides strftime patterns. */
export const TIMESTAMP_KEYWORDS = {
  iso8601: "ISO 8601 with a zone, e.g. 2024-01-02T03:04:05Z or +01:00 (fractions allowed)",
  epoch: "Unix epoch seconds (fractions allowed)",
  epoch_s: "Unix epoch seconds (same as epoch)",
  epoch_ms: "Unix epoch milliseconds",
} as const;

// Any directive that carries a time of day (or a full date-time).
const TIME_DIRECTIVES = /%[-_0^#]?[HIklMSTRrcsPpfX+]|%[.:]?[0-9]?f/;

/** Whether values in this format can carry a time of day (date-only formats cannot). */
export function formatHasTimeOfDay(format: string): boolean {
  if (format in TIMESTAMP_KEYWORDS) return true;
  return TIME_DIRECTIVES.test(format);
}

// The chrono directives polars' strptime knows (https://docs.rs/chrono/latest/chrono/format/strftime/):
// a letter, optionally after a padding modifier (-, _ or 0), or one of the fractional-second and zone forms.
const KNOWN_DIRECTIVE = /^%(?:[-_0]?[YCymbBhdeaAwuUWGgVjDxFvHkIlPpMSfRTXrZzcs]|[+tn%]|\.?[369]?f|:{1,3}z|#z)/;

export class TimestampFormatError extends Error {
  override name = "TimestampFormatError";
}

/** Refuse a format polars would silently read as all-null: an unknown directive, or no directive at all. */
export function checkTimestampFormat(format: string): void {
  if (format in TIMESTAMP_KEYWORDS) return;
  const keywords = Object.keys(TIMESTAMP_KEYWORDS).join(", ");
  if (!format.includes("%"))
    throw new TimestampFormatError(
      `timestamp format ${JSON.stringify(format)} has no strftime directive: write it as e.g. %Y-%m-%d %H:%M:%S, or use a keyword (${keywords})`,
    );
  for (let i = format.indexOf("%"); i !== -1; ) {
    const known = KNOWN_DIRECTIVE.exec(format.slice(i));
    if (!known) {
      const directive = /^%[-_0]?.?/.exec(format.slice(i))![0];
      throw new TimestampFormatError(
        `timestamp format ${JSON.stringify(format)}: unknown directive ${JSON.stringify(directive)} at position ${i + 1} ` +
          `(known: %Y %y %m %d %e %b %B %H %I %p %M %S %f %z %j %F %T and the rest of chrono's strftime; or a keyword: ${keywords})`,
      );
    }
    i = format.indexOf("%", i + known[0].length);
  }
}

/** The UTC Datetime("ms") of text `column` read with `format`; null where it does not parse. */
export function parseTimestamp(text: pl.Expr, format: string): pl.Expr {
  const ms = pl.Datetime("ms");
  switch (format) {
    case "iso8601":
      return text.str.strptime(ms, "%+").cast(ms);
    case "epoch":
    case "epoch_s":
      return finiteOrNull(text.cast(pl.Float64, false)).mul(1000).round(0).cast(pl.Int64).cast(ms);
    case "epoch_ms":
      return finiteOrNull(text.cast(pl.Float64, false)).round(0).cast(pl.Int64).cast(ms);
    default:
      return formatHasTimeOfDay(format) ? text.str.strptime(ms, format) : text.str.strptime(pl.Date, format).cast(ms);
  }
}

const finiteOrNull = (x: pl.Expr) => pl.when(x.isFinite()).then(x).otherwise(pl.lit(null));
