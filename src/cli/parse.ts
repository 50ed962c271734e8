// Option parsers for the CLI: every numeric or list option is checked when
// commander reads it, so a bad value stops the command before any work with
// commander's own message ("option '--seed <n>' argument 'abc' is invalid. …")
// and exit code 1, instead of becoming NaN or an empty plan later.
import { InvalidArgumentError } from "commander";

/** A whole number in [min, max]; a whole number outside it is called out of range, not "not a whole number". */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return (value) => {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isInteger(n)) throw new InvalidArgumentError(`expected a whole number ${range}`);
    if (n < min || n > max) throw new InvalidArgumentError(`out of range: expected a whole number ${range}`);
    return n;
  };
}

/** A finite number above `above` (and below `below`, when given). */
export function number(above: number, below = Infinity): (value: string) => number {
  return (value) => {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isFinite(n) || n <= above || n >= below)
      throw new InvalidArgumentError(below === Infinity ? `expected a number > ${above}` : `expected a number between ${above} and ${below} (exclusive)`);
    return n;
  };
}

/** One of `choices`. */
export function choice<T extends string>(choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(", ")}`);
    return value as T;
  };
}

/** A comma-separated list, each item parsed by `item`; "" is the empty list. */
export function listOf<T>(item: (value: string) => T): (value: string) => T[] {
  return (value) =>
    value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        try {
          return item(s);
        } catch (err) {
          throw new InvalidArgumentError(`'${s}': ${(err as Error).message}`);
        }
      });
}
