// One way to print a table cell, for the terminal and the notebooks alike.
export function formatCell(v: unknown, digits = 5): string {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toPrecision(digits);
  return String(v);
}

export function columnsOf(rows: readonly object[]): string[] {
  return [...new Set(rows.flatMap((r) => Object.keys(r)))];
}

/** Text made safe inside HTML elements and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "#39" } as Record<string, string>)[c]};`);
}
