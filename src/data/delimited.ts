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
}

const HEAD_BYTES = 65_536;

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
  const read = (source: string | Buffer, resolved: Separator) => {
    try {
      return pl.readCSV(source, { sep: resolved === "whitespace" ? "\t" : resolved, inferSchemaLength: 0, hasHeader: true });
    } catch (err) {
      throw new DelimitedFileError(`${path} is not readable as ${describeSeparator(resolved)}-separated text: ${(err as Error).message.split("\n")[0]}`);
    }
  };
  // The common case, a plain .csv/.tsv: polars reads (memory-maps) the file itself. nodejs-polars takes a string
  // ending in .csv/.tsv as a path, never as content; every other name is read here and handed over as bytes.
  if (!gzip && !bom && sep !== "whitespace" && sep !== "auto" && polarsReadsAsPath(path)) return { frame: read(path, sep), separator: sep, gzip };

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
  return { frame: read(resolved === "whitespace" ? blankRunsToTabs(bytes) : bytes, resolved), separator: resolved, gzip };
}
