// Synthetic transaction logs in the Kaggle "Retail Transaction Dataset" layout,
// for the embedded default data. Customers follow a Pareto/NBD-style process
// (Schmittlein et al., 1987): while "alive" they buy at a personal Poisson rate,
// and they drop out after an exponential lifetime. So frequency, recency and
// monetary value carry signal about next-quarter spend, as in real retail.
// A small, documented share of rows is deliberately dirty so cleaning has work.
import pl from "nodejs-polars";
import { Rng } from "../util/rng.js";
import { KAGGLE_COLUMNS } from "./schema.js";
import { DAY_MS } from "./window.js";

export interface GeneratorOptions {
  transactions: number;
  seed: number;
  /** First day of the log (UTC). */
  start: Date;
  days: number;
  /** Share of one-purchase customers (the Kaggle data is dominated by them). */
  oneTimeShare: number;
  /** Shares of injected dirty rows. */
  duplicateShare: number;
  refundShare: number;
  mismatchShare: number;
  /** Share of bulk orders (quantity 50–200): consistent rows that the outlier rule catches. */
  bulkShare: number;
}

export const DEFAULT_GENERATOR: GeneratorOptions = {
  transactions: 100_000,
  seed: 42,
  start: new Date(Date.UTC(2023, 3, 1)),
  days: 365,
  oneTimeShare: 0.5,
  duplicateShare: 0.001,
  refundShare: 0.0005,
  mismatchShare: 0.0005,
  bulkShare: 0.0002,
};

const PRODUCTS = [
  { id: "A", basePrice: 25 },
  { id: "B", basePrice: 45 },
  { id: "C", basePrice: 65 },
  { id: "D", basePrice: 85 },
];
const CATEGORIES = ["Books", "Electronics", "Clothing", "Home Decor"];
const PAYMENTS = ["Cash", "Credit Card", "Debit Card", "PayPal"];
const STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Pine Rd", "Elm St", "Lake View", "Hill Crest"];
const CITIES = [
  ["Springfield", "IL"],
  ["Riverton", "WY"],
  ["Fairview", "TN"],
  ["Madison", "WI"],
  ["Georgetown", "TX"],
  ["Salem", "OR"],
];

interface Row {
  customer: number;
  product: string;
  quantity: number;
  price: number;
  timeMs: number;
  payment: string;
  store: string;
  category: string;
  discount: number;
  total: number;
}

/** "M/D/YYYY H:MM" without zero padding, as in the Kaggle file. */
export function formatKaggleDate(ms: number): string {
  const d = new Date(ms);
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours()}:${mm}`;
}

/** Customer ids are 6-digit, scattered like Kaggle's (a bijection on 0..899,999). */
function customerId(k: number): number {
  return k < 900_000 ? 100_000 + ((k * 611_953) % 900_000) : 1_000_000 + k;
}

export function generateTransactions(options: Partial<GeneratorOptions> = {}): pl.DataFrame {
  const o = { ...DEFAULT_GENERATOR, ...options };
  if (!Number.isInteger(o.transactions) || o.transactions < 1) throw new Error(`transactions must be a positive integer, got ${o.transactions}`);
  const rng = new Rng(o.seed);
  const startMs = o.start.getTime();
  const endMs = startMs + o.days * DAY_MS;
  const stores = Array.from({ length: 40 }, () => {
    const [city, state] = rng.pick(CITIES);
    return `${rng.int(10, 99999)} ${rng.pick(STREETS)}\n${city}, ${state} ${rng.int(10000, 99999)}`;
  });

  const rows: Row[] = [];
  for (let k = 0; rows.length < o.transactions; k++) {
    const id = customerId(k);
    const oneTime = rng.uniform() < o.oneTimeShare;
    const rate = rng.gamma(0.9, 1 / 25); // purchases per day while alive: mean ~1 per 28 days
    const lifetimeDays = rng.exponential(rng.gamma(2, 90)); // mean lifetime ~180 days, heavy spread
    const basket = Math.exp(0.35 * rng.normal()); // personal spend multiplier
    const favourite = rng.int(0, PRODUCTS.length - 1);
    const discountLover = rng.uniform() < 0.3;
    const store = rng.pick(stores);
    let t = startMs + rng.uniform() * (endMs - startMs);
    const deathMs = t + lifetimeDays * DAY_MS;
    do {
      const product = rng.uniform() < 0.6 ? PRODUCTS[favourite] : rng.pick(PRODUCTS);
      // Bounded like the Kaggle file: 1–10 units at 10–100 USD.
      const quantity = Math.round(1 + 9 * rng.uniform() ** (1 / basket)); // big-basket customers buy more units
      const price = Math.min(100, Math.max(10, product.basePrice * basket * Math.exp(0.2 * rng.normal())));
      const discount = discountLover ? rng.uniform() * 20 : rng.uniform() < 0.2 ? rng.uniform() * 10 : 0;
      rows.push({
        customer: id,
        product: product.id,
        quantity,
        price,
        timeMs: Math.floor(t / 60_000) * 60_000,
        payment: rng.pick(PAYMENTS),
        store: rng.uniform() < 0.8 ? store : rng.pick(stores),
        category: CATEGORIES[PRODUCTS.indexOf(product)],
        discount,
        total: quantity * price * (1 - discount / 100),
      });
      t += rng.exponential(1 / rate) * DAY_MS;
    } while (!oneTime && t < endMs && t < deathMs && rows.length < o.transactions);
  }

  // Dirty rows, replacing clean ones so the count stays exact.
  const dirty = (share: number, spoil: (r: Row, i: number) => Row) => {
    for (let n = Math.round(share * rows.length); n > 0; n--) {
      const i = rng.int(1, rows.length - 1);
      rows[i] = spoil(rows[i], i);
    }
  };
  dirty(o.duplicateShare, (_, i) => ({ ...rows[i - 1] }));
  dirty(o.refundShare, (r) => ({ ...r, total: -r.total }));
  dirty(o.mismatchShare, (r) => ({ ...r, total: r.total * (1.5 + rng.uniform()) }));
  dirty(o.bulkShare, (r) => {
    const quantity = rng.int(50, 200);
    return { ...r, quantity, total: quantity * r.price * (1 - r.discount / 100) };
  });
  rng.shuffle(rows);

  return pl.DataFrame({
    [KAGGLE_COLUMNS[0]]: pl.Series(
      KAGGLE_COLUMNS[0],
      rows.map((r) => r.customer),
      pl.Int64,
    ),
    [KAGGLE_COLUMNS[1]]: rows.map((r) => r.product),
    [KAGGLE_COLUMNS[2]]: pl.Series(
      KAGGLE_COLUMNS[2],
      rows.map((r) => r.quantity),
      pl.Int64,
    ),
    [KAGGLE_COLUMNS[3]]: rows.map((r) => r.price),
    [KAGGLE_COLUMNS[4]]: rows.map((r) => formatKaggleDate(r.timeMs)),
    [KAGGLE_COLUMNS[5]]: rows.map((r) => r.payment),
    [KAGGLE_COLUMNS[6]]: rows.map((r) => r.store),
    [KAGGLE_COLUMNS[7]]: rows.map((r) => r.category),
    [KAGGLE_COLUMNS[8]]: rows.map((r) => r.discount),
    [KAGGLE_COLUMNS[9]]: rows.map((r) => r.total),
  });
}

export function writeGeneratedCsv(path: string, options: Partial<GeneratorOptions> = {}): number {
  const df = generateTransactions(options);
  df.writeCSV(path);
  return df.height;
}
