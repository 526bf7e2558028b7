import { CsvError, parse } from "csv-parse/sync";
import { UserErrorCode, UserErrors } from "../../graphql/user-error";
import * as validate from "../../graphql/validate";
import { Plating, StoneType } from "../catalog";
import type { ImportedOrderLine, ImportedOrderLines, ImportOrderLinesInput, OrderLineRowError } from "./orders.inputs";
import type { LineCustomization } from "./order.entity";
import { MAX_LINE_QUANTITY, MAX_LINES } from "./orders.service";

/** The most rows below the header: an order's lines. */
export const MAX_CSV_ROWS = MAX_LINES;
/** The most bytes (UTF-8) of CSV: 500 rows of SKU, quantity and every customization fit well. */
export const MAX_CSV_BYTES = 256 * 1024;

/** The columns a header may name, as `OrderLineInput` and `LineCustomizationInput` name their fields. */
const COLUMNS = ["sku", "quantity", "size", "plating", "stone", "branding", "engraving"] as const;
type Column = (typeof COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ["sku", "quantity"];

/** Separators a header may use; the one it holds most of is the file's. */
const DELIMITERS = [",", ";", "\t"] as const;

const enumValue = <E extends Record<string, string>>(values: E, text: string): E[keyof E] | undefined => {
  // "Rose gold", "rose-gold" and "ROSE_GOLD" are the same plating.
  const name = text.toUpperCase().replace(/[\s-]+/g, "_");
  return Object.values(values).includes(name) ? (name as E[keyof E]) : undefined;
};

/** The separator of the file: the candidate its first line holds most of (a comma when none). */
function delimiterOf(csv: string): string {
  const firstLine = csv.slice(0, csv.search(/\r|\n|$/));
  let best: string = ",";
  let most = 0;
  for (const d of DELIMITERS) {
    const count = firstLine.split(d).length - 1;
    if (count > most) [best, most] = [d, count];
  }
  return best;
}

/**
 * Reads order lines from CSV text: a header row naming the columns, then one line a row. Nothing
 * is read from the database and nothing is written: SKUs, prices, minimum quantities and whether
 * a style offers a customization are `previewOrder`'s and `placeOrder`'s to check. What this
 * refuses is what no order could take: a missing or overlong SKU, a quantity that is not a whole
 * number from 1 to 100000, a plating or stone Facet does not know, text too long or holding
 * control characters, and a row repeating an earlier one (same SKU and customization), which is
 * more likely pasted twice than meant: one row should carry the whole quantity.
 */
export function importOrderLines(input: ImportOrderLinesInput): ImportedOrderLines {
  const csv = input.csv ?? "";
  const refuse = (message: string, code: UserErrorCode): ImportedOrderLines => ({ lines: [], rowErrors: [], userErrors: new UserErrors().add(["input", "csv"], message, code).list });
  if (Buffer.byteLength(csv, "utf8") > MAX_CSV_BYTES) return refuse(`The CSV may be at most ${MAX_CSV_BYTES / 1024} KB`, UserErrorCode.TOO_LONG);

  let records: { record: string[]; info: { records: number } }[];
  try {
    records = parse(csv, {
      bom: true,
      trim: true,
      delimiter: delimiterOf(csv.replace(/^\uFEFF/, "")),
      // Files from different systems end lines differently, sometimes within one file.
      record_delimiter: ["\r\n", "\n", "\r"],
      // A row with too few or too many fields is reported as a bad row, not a failure of the file;
      // blank lines are kept so that row numbers are those a spreadsheet shows.
      relax_column_count: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { record: string[]; info: { records: number } }[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    // Quoting that does not close or stray quotes: nothing after it can be read reliably.
    const line = (error as CsvError & { lines?: number }).lines;
    return refuse(`The CSV cannot be read${line ? ` at line ${line}` : ""}: ${quoteProblem(error.code)}`, UserErrorCode.INVALID);
  }

  const blank = (fields: string[]) => fields.every((f) => f === "");
  const [header, ...rows] = records.filter((r) => !blank(r.record));
  if (!header) return refuse("The CSV is empty: it needs a header row naming the columns sku and quantity, then a row per line", UserErrorCode.REQUIRED);
  if (rows.length === 0) return refuse("The CSV has a header but no rows", UserErrorCode.REQUIRED);
  if (rows.length > MAX_CSV_ROWS) {
    return {
      lines: [],
      rowErrors: [{ row: rows[MAX_CSV_ROWS].info.records, column: null, message: `An order may have at most ${MAX_CSV_ROWS} lines: this row is one more`, code: UserErrorCode.TOO_LONG }],
      userErrors: new UserErrors().add(["input", "csv"], `The CSV may have at most ${MAX_CSV_ROWS} rows below the header; it has ${rows.length}`, UserErrorCode.TOO_LONG).list,
    };
  }

  const rowErrors: OrderLineRowError[] = [];
  const headerRow = header.info.records;
  const names = header.record.map((name) => name.toLowerCase());
  const unknown = names.filter((name) => !(COLUMNS as readonly string[]).includes(name));
  if (unknown.length) {
    rowErrors.push({
      row: headerRow,
      column: unknown.length === 1 ? unknown[0] : null,
      message: `Unknown column${unknown.length === 1 ? "" : "s"} ${unknown.map((n) => `"${n}"`).join(", ")}: the columns are ${COLUMNS.join(", ")}`,
      code: UserErrorCode.INVALID,
    });
  }
  for (const [i, name] of names.entries()) {
    if (names.indexOf(name) !== i && (COLUMNS as readonly string[]).includes(name)) rowErrors.push({ row: headerRow, column: name, message: `The column ${name} is named twice`, code: UserErrorCode.TAKEN });
  }
  for (const required of REQUIRED_COLUMNS) {
    if (!names.includes(required)) rowErrors.push({ row: headerRow, column: required, message: `The header has no ${required} column`, code: UserErrorCode.REQUIRED });
  }
  // Without its SKU or quantity column no row can be read: the header's errors say all there is.
  if (REQUIRED_COLUMNS.some((c) => !names.includes(c))) return { lines: [], rowErrors, userErrors: [] };
  const headerAtFault = rowErrors.length > 0;
  const indexOf = new Map(COLUMNS.map((c) => [c, names.indexOf(c)]));

  const lines: ImportedOrderLine[] = [];
  // An earlier row of each SKU and customization.
  const seen = new Map<string, number>();
  for (const { record, info } of rows) {
    const row = info.records;
    const errors: OrderLineRowError[] = [];
    const bad = (column: Column | null, message: string, code: UserErrorCode) => errors.push({ row, column, message, code });
    if (record.length !== names.length) {
      bad(null, `The row has ${record.length} field${record.length === 1 ? "" : "s"}; the header has ${names.length}`, UserErrorCode.INVALID);
      rowErrors.push(...errors);
      continue;
    }
    const cell = (column: Column): string => (indexOf.get(column)! >= 0 ? record[indexOf.get(column)!] : "");
    const text = (column: Column, max: number, label: string): string | undefined => {
      if (cell(column) === "") return undefined;
      const found = new UserErrors();
      const value = validate.text(found, [], cell(column), { max, label });
      for (const e of found.list) bad(column, e.message, e.code);
      return value;
    };

    const sku = cell("sku") === "" ? void bad("sku", "SKU is required", UserErrorCode.REQUIRED) : text("sku", 40, "SKU")?.toUpperCase();
    const quantity = quantityOf(cell("quantity"), (message, code) => bad("quantity", message, code));
    const customization: LineCustomization = {};
    const size = text("size", 20, "Size");
    if (size) customization.size = size;
    if (cell("plating") !== "") {
      const plating = enumValue(Plating, cell("plating"));
      if (plating) customization.plating = plating;
      else bad("plating", `Unknown plating "${cell("plating").slice(0, 40)}": one of ${Object.values(Plating).join(", ")}`, UserErrorCode.INVALID);
    }
    if (cell("stone") !== "") {
      const stone = enumValue(StoneType, cell("stone"));
      if (stone) customization.stone = stone;
      else bad("stone", `Unknown stone "${cell("stone").slice(0, 40)}": one of ${Object.values(StoneType).join(", ")}`, UserErrorCode.INVALID);
    }
    const branding = text("branding", 60, "Branding");
    if (branding) customization.branding = branding;
    // A style allows at most 200 characters of engraving; its own limit is placeOrder's to check.
    const engraving = text("engraving", 200, "Engraving");
    if (engraving) customization.engraving = engraving;

    if (sku && errors.length === 0) {
      const key = JSON.stringify([sku, customization.size, customization.plating, customization.stone, customization.branding, customization.engraving]);
      const earlier = seen.get(key);
      if (earlier !== undefined) bad("sku", `${sku} is already on row ${earlier} with the same customization: give the whole quantity on one row`, UserErrorCode.TAKEN);
      else seen.set(key, row);
    }
    if (errors.length) rowErrors.push(...errors);
    else lines.push({ sku: sku!, quantity: quantity!, customization: Object.keys(customization).length ? customization : null, row });
  }
  // With the header at fault, a row's values may be under the wrong name, or lost: no line is given.
  return { lines: headerAtFault ? [] : lines, rowErrors, userErrors: [] };
}

function quantityOf(value: string, bad: (message: string, code: UserErrorCode) => void): number | undefined {
  if (value === "") return void bad("Quantity is required", UserErrorCode.REQUIRED);
  if (!/^\d+$/.test(value)) return void bad(`Quantity must be a whole number of units, not "${value.slice(0, 20)}"`, UserErrorCode.INVALID);
  const n = Number(value);
  if (n < 1 || n > MAX_LINE_QUANTITY) return void bad(`Quantity must be from 1 to ${MAX_LINE_QUANTITY}`, UserErrorCode.OUT_OF_RANGE);
  return n;
}

function quoteProblem(code: string): string {
  switch (code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "a quoted field is not closed";
    case "INVALID_OPENING_QUOTE":
      return "a quote appears inside a field that is not quoted; quote the field and double the quote";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "a quoted field goes on after its closing quote; double a quote inside a quoted field";
    default:
      return "it is not valid CSV";
  }
}
