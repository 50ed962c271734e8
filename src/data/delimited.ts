// Read a delimited text log into an all-text frame, whatever its name: the
// bytes decide (gzip magic, UTF-8 BOM), and the header line decides the
// separator unless one is given. polars always gets a Buffer, so a path can
// never be mistaken for CSV content.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { parse as parsePath } from "node:path";
import { gunzipSync } from "node:zlib";
import pl from "nodejs-polars";

/** A separator as given: a single character, one of the names below, or "auto". */
export type SeparatorSpec = string;

/** What the file was read with: one character, or runs of spaces/tabs. */
export type Separator = "," | ";" | "\t" | "|" | "whitespace" | string;

const NAMED_SEPARATORS: Record<string, Separator> = {
  comma: ",",
  semicolon: ";",
  tab: "\t",
  "\\t": "\t",
  pipe: "|",
  whitespace: "whitespace",
  space: "whitespace",
};

export class DelimitedFileError extends Error {
  override name = "DelimitedFileError";
}

/** Check a --separator / mapping value; returns the separator or "auto". */
export function parseSeparator(spec: SeparatorSpec, source = "--separator"): Separator | "auto" {
  if (spec === "auto") return "auto";
  const named = NAMED_SEPARATORS[spec.toLowerCase()];
  if (named) return named;
  if ([...spec].length === 1 && spec !== '"' && spec !== "\n" && spec !== "\r") return spec;
  throw new DelimitedFileError(`${source} ${JSON.stringify(spec)} is not a separator: use one character, or auto, comma, semicolon, tab, pipe, whitespace`);
}

export function describeSeparator(s: Separator): string {
  const names: Record<string, string> = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", whitespace: "whitespace" };
  return names[s] ?? JSON.stringify(s);
}

const GZIP_MAGIC = [0x1f, 0x8b];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const startsWith = (b: Buffer, magic: number[]) => magic.every((byte, i) => b[i] === byte);

/** The first line's text (the header), without its line break. */
function headerLine(bytes: Buffer): string {
  const end = bytes.indexOf(0x0a);
  return bytes
    .subarray(0, end === -1 ? Math.min(bytes.length, 65_536) : end)
    .toString("utf8")
    .replace(/\r$/, "");
}

/** The separator the header uses most among comma, semicolon, tab; whitespace runs when none occurs. */
export function detectSeparator(header: string): Separator {
  const outsideQuotes = header.replace(/"[^"]*"/g, "");
  const counts = ([",", ";", "\t"] as const).map((s) => ({ s, n: outsideQuotes.split(s).length - 1 }));
  const best = counts.reduce((a, b) => (b.n > a.n ? b : a));
  // Tabs padded with spaces, or several in a row, are an aligned-columns export: runs of blanks.
  if (best.s === "\t" && /[ ]\t|\t[ ]|\t\t/.test(outsideQuotes.trim())) return "whitespace";
  if (best.n > 0) return best.s;
  return /\S\s+\S/.test(outsideQuotes.trim()) ? "whitespace" : ",";
}

const SPACE = 0x20,
  TAB = 0x09,
  CR = 0x0d,
  LF = 0x0a;

/** polars has no regex separator: each run of spaces/tabs becomes one tab, and a line's leading and
 *  trailing blanks (and CR) and blank lines go; fields of such logs cannot hold blanks anyway. One pass over the bytes
 *  (UTF-8 continuation bytes are never blanks): a regex replace took 1.3 s on a 1M-row log, this ~50 ms. */
export function blankRunsToTabs(bytes: Buffer): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  let lineStart = true;
  let pendingTab = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === SPACE || b === TAB || b === CR) {
      pendingTab = !lineStart;
    } else if (b === LF) {
      if (!lineStart) out[n++] = LF; // blank (or all-blank) lines are no records
      lineStart = true;
      pendingTab = false;
    } else {
      if (pendingTab) out[n++] = TAB;
      out[n++] = b;
      lineStart = false;
      pendingTab = false;
    }
  }
  return out.subarray(0, n);
}

export interface DelimitedText {
  /** Every column as text (parsing is the loader's job, so bad values are reported, not guessed). */
  frame: pl.DataFrame;
  separator: Separator;
  gzip: boolean;
  /** Header names that occur more than once, with their 1-based positions (polars renames the later ones). */
  duplicateColumns: { name: string; positions: number[] }[];
  /** Records with more fields than the header whose extra fields are all empty (trailing separators): read without them. */
  trailingEmptyFields: RaggedRecord[];
}

/** A record (1-based, as the loader numbers them) with more fields than the header. */
export interface RaggedRecord {
  row: number;
  fields: number;
  /** The text beyond the header's last field (first 60 characters). */
  extra: string;
  /** True when every extra field is empty or blank. */
  empty: boolean;
}

const QUOTE = 0x22;

/** The fields of one header line, unquoted; runs of blanks for whitespace-separated logs. */
export function headerFields(line: string, sep: Separator): string[] {
  if (sep === "whitespace") return line.trim().split(/\s+/);
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      if (quoted && line[i + 1] === '"') field += line[++i];
      else quoted = !quoted;
    } else if (c === sep && !quoted) {
      fields.push(field);
      field = "";
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function duplicatesOf(names: string[]): { name: string; positions: number[] }[] {
  const positions = new Map<string, number[]>();
  for (const [i, name] of names.entries()) positions.set(name, [...(positions.get(name) ?? []), i + 1]);
  return [...positions].filter(([, at]) => at.length > 1).map(([name, at]) => ({ name, positions: at }));
}

/**
 * Records with more fields than the header, found by one quote-aware pass over
 * the bytes (polars only says that some line has too many). Records are
 * counted as polars counts them: every line outside quotes after the header,
 * blank ones included.
 */
export function raggedRecords(bytes: Buffer, separator: string, headerCount: number): RaggedRecord[] {
  const sep = separator.charCodeAt(0);
  const found: RaggedRecord[] = [];
  let record = 0; // 0: the header
  let fields = 1;
  let extraStart = -1;
  let extraBlank = true;
  let quoted = false;
  const endRecord = (end: number) => {
    if (record > 0 && fields > headerCount) {
      const extra = bytes.toString("utf8", extraStart, Math.min(end, extraStart + 240)).replace(/\r$/, "");
      found.push({ row: record, fields, extra: extra.length > 60 ? `${extra.slice(0, 60)}…` : extra, empty: extraBlank });
    }
    record++;
    fields = 1;
    extraStart = -1;
    extraBlank = true;
  };
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) quoted = !quoted;
    else if (quoted) {
      if (fields > headerCount) extraBlank = false;
    } else if (b === LF) endRecord(i);
    else if (b === sep) {
      fields++;
      if (fields === headerCount + 1) extraStart = i + 1;
    } else if (fields > headerCount && b !== CR && b !== SPACE && b !== TAB) extraBlank = false;
  }
  if (bytes.length > 0 && bytes[bytes.length - 1] !== LF) endRecord(bytes.length);
  return found;
}

const HEAD_BYTES = 65_536;

const once = <T>(make: () => T): (() => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

/** nodejs-polars' own rule (utils.isPath) for a string it opens as a file: a name and the exact extension .csv or .tsv. */
function polarsReadsAsPath(path: string): boolean {
  const { name, ext } = parsePath(path);
  return name !== "" && (ext === ".csv" || ext === ".tsv");
}

/** The first bytes of a file (enough for magic bytes, a BOM and the header line). */
function readHead(path: string): Buffer {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
  } finally {
    closeSync(fd);
  }
}

export function readDelimited(path: string, separator: Separator | "auto" = "auto"): DelimitedText {
  let head: Buffer;
  try {
    head = readHead(path);
  } catch {
    throw new DelimitedFileError(`transaction file ${path} does not exist or cannot be read`);
  }
  const gzip = startsWith(head, GZIP_MAGIC);
  const bom = startsWith(head, UTF8_BOM);
  if (
    !gzip &&
    head
      .subarray(bom ? UTF8_BOM.length : 0)
      .toString("utf8")
      .trim() === ""
  )
    throw new DelimitedFileError(`transaction file ${path} is empty`);
  const sep = separator === "auto" && !gzip ? detectSeparator(headerLine(head.subarray(bom ? UTF8_BOM.length : 0))) : separator;
  // Ragged lines are refused first (polars would otherwise cut extra fields off silently); only then are the
  // bytes scanned for which records they are: the common, rectangular file pays nothing for the check.
  const read = (source: string | Buffer, resolved: Separator, truncateRaggedLines = false) => {
    try {
      return pl.readCSV(source, { sep: resolved === "whitespace" ? "\t" : resolved, inferSchemaLength: 0, hasHeader: true, truncateRaggedLines });
    } catch (err) {
      const message = (err as Error).message.split("\n")[0];
      if (!truncateRaggedLines && /more fields than defined/.test(message)) return null;
      throw new DelimitedFileError(`${path} is not readable as ${describeSeparator(resolved)}-separated text: ${message}`);
    }
  };
  const finish = (frame: pl.DataFrame | null, resolved: Separator, header: string, bytes: () => Buffer): DelimitedText => {
    const names = headerFields(header, resolved);
    const base = { separator: resolved, gzip, duplicateColumns: duplicatesOf(names) };
    if (frame) return { frame, ...base, trailingEmptyFields: [] };
    const tabbed = resolved === "whitespace" ? "\t" : resolved;
    const ragged = raggedRecords(bytes(), tabbed, names.length);
    const shifted = ragged.filter((r) => !r.empty);
    if (shifted.length)
      throw new DelimitedFileError(
        `${path}: ${shifted.length} record(s) have more fields than the header's ${names.length}, so their values may sit under the wrong columns ` +
          `(a separator inside an unquoted value?): ${shifted
            .slice(0, 5)
            .map((r) => `row ${r.row} has ${r.fields} fields, beyond the header ${JSON.stringify(r.extra)}`)
            .join("; ")}. Quote such values or fix the rows.`,
      );
    return { frame: read(bytes(), resolved, true)!, ...base, trailingEmptyFields: ragged };
  };
  // The common case, a plain .csv/.tsv: polars reads (memory-maps) the file itself. nodejs-polars takes a string
  // ending in .csv/.tsv as a path, never as content; every other name is read here and handed over as bytes.
  if (!gzip && !bom && sep !== "whitespace" && sep !== "auto" && polarsReadsAsPath(path))
    return finish(
      read(path, sep),
      sep,
      headerLine(head),
      once(() => readFileSync(path)),
    );

  let bytes = readFileSync(path);
  if (gzip) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new DelimitedFileError(`${path} starts like gzip but does not decompress: ${(err as Error).message}`);
    }
  }
  if (startsWith(bytes, UTF8_BOM)) bytes = bytes.subarray(UTF8_BOM.length);
  if (bytes.toString("utf8", 0, Math.min(bytes.length, 4096)).trim() === "") throw new DelimitedFileError(`transaction file ${path} is empty`);
  const resolved = sep === "auto" ? detectSeparator(headerLine(bytes)) : sep;
  const text = resolved === "whitespace" ? blankRunsToTabs(bytes) : bytes;
  return finish(read(text, resolved), resolved, headerLine(bytes), () => text);
}
