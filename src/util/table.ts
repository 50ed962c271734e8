// Plain-text tables for the terminal.
import { columnsOf, formatCell } from "./format.js";

export function formatTable(rows: readonly object[]): string {
  if (rows.length === 0) return "(no rows)";
  const columns = columnsOf(rows);
  const text = rows.map((r) => columns.map((c) => formatCell((r as Record<string, unknown>)[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((t) => t[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "-".repeat(w))), ...text.map(line)].join("\n");
}

/** A GitHub-flavoured Markdown table (pipes in cells escaped). */
export function markdownTable(rows: readonly object[]): string {
  if (rows.length === 0) return "(no rows)";
  const columns = columnsOf(rows);
  const cell = (v: unknown) => formatCell(v).replace(/\|/g, "\\|");
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(columns), line(columns.map(() => "---")), ...rows.map((r) => line(columns.map((c) => cell((r as Record<string, unknown>)[c]))))].join("\n");
}
