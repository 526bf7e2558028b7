import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import { GraphQLDateTime } from "graphql-scalars";
import { registerEnumType } from "type-graphql";
import { COUNTRIES, CURRENCIES } from "../core/iso-codes";

const dateTime = GraphQLDateTime.toConfig();

// The years a date or time may have on input: what PostgreSQL's date and timestamptz hold (no
// year 0, which RFC 3339 allows), written in four digits as ISO 8601 and Date.toISOString do
// without a sign. A time's year is its year in UTC, as it is stored.
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

function withinYears(date: Date, value: unknown): Date {
  const year = date.getUTCFullYear();
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new GraphQLError(`DateTime must fall in the years ${MIN_YEAR} to ${MAX_YEAR} (in UTC), got ${JSON.stringify(value)}`);
  }
  return date;
}

/**
 * graphql-scalars' DateTime, answered as its RFC 3339 string (UTC, milliseconds) rather than as
 * the Date that JSON.stringify would turn into the same string: a Date's toJSON takes the
 * serializer off its fast path, and cost an order history of 50 orders more than half of its
 * serialization time. On input it takes the years 1 to 9999 only.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTime,
  serialize(value) {
    const serialized = value instanceof Date && !Number.isNaN(value.getTime()) ? value : dateTime.serialize(value);
    return serialized instanceof Date ? serialized.toISOString() : serialized;
  },
  parseValue: (value) => withinYears(dateTime.parseValue!(value) as Date, value),
  parseLiteral: (ast, variables) => withinYears(dateTime.parseLiteral!(ast, variables) as Date, ast.kind === Kind.STRING ? ast.value : undefined),
});

// At most 14 digits before the point: what the widest decimal columns (numeric(18,4), money) hold.
// Up to 8 after it, so that an amount with too many decimals for its currency or column is
// answered by the mutation's own check, naming the field.
const MAX_INTEGER_DIGITS = 14;
const MAX_FRACTION_DIGITS = 8;
const DECIMAL = new RegExp(`^-?(0|[1-9]\\d{0,${MAX_INTEGER_DIGITS - 1}})(\\.\\d{1,${MAX_FRACTION_DIGITS}})?$`);

function stringLiteral(ast: ValueNode, scalar: string): string {
  if (ast.kind !== Kind.STRING) throw new GraphQLError(`${scalar} must be given as a string`);
  return ast.value;
}

function parseDecimal(value: unknown): string {
  // Numbers are refused on purpose: a JSON number may already have lost precision as a float.
  if (typeof value !== "string" || !DECIMAL.test(value)) {
    throw new GraphQLError(
      `Decimal must be a string such as "1249.50" (up to ${MAX_INTEGER_DIGITS} digits before the point and ${MAX_FRACTION_DIGITS} after it), got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

export const DecimalScalar = new GraphQLScalarType<string, string>({
  name: "Decimal",
  description: 'An exact decimal number written as a string, e.g. "1249.50". Never a float. On input, at most 14 digits before the point and 8 after it.',
  serialize: (value) => String(value),
  parseValue: parseDecimal,
  parseLiteral: (ast) => parseDecimal(stringLiteral(ast, "Decimal")),
});

function parseLocalDate(value: unknown): string {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) {
      if (date.getUTCFullYear() >= MIN_YEAR) return value;
      throw new GraphQLError(`Date must fall in the years ${MIN_YEAR} to ${MAX_YEAR}, got ${JSON.stringify(value)}`);
    }
  }
  throw new GraphQLError(`Date must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(value)}`);
}

/** Calendar dates travel as "YYYY-MM-DD" strings end to end (see the pg type parser in db/). */
export const LocalDateScalar = new GraphQLScalarType<string, string>({
  name: "Date",
  description: "A calendar date without time or zone, ISO 8601: YYYY-MM-DD, in the years 0001 to 9999.",
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value)),
  parseValue: parseLocalDate,
  parseLiteral: (ast) => parseLocalDate(stringLiteral(ast, "Date")),
});

export type CurrencyCode = keyof typeof CURRENCIES;
export const CurrencyCode = Object.fromEntries(Object.keys(CURRENCIES).map((c) => [c, c])) as { [K in CurrencyCode]: K };
registerEnumType(CurrencyCode, {
  name: "CurrencyCode",
  description: "An ISO 4217 currency code.",
  valuesConfig: Object.fromEntries(
    Object.entries(CURRENCIES).map(([code, c]) => [code, { description: `${c.name}; ${c.minorUnits} decimal places.` }]),
  ),
});

export type CountryCode = keyof typeof COUNTRIES;
export const CountryCode = Object.fromEntries(Object.keys(COUNTRIES).map((c) => [c, c])) as { [K in CountryCode]: K };
registerEnumType(CountryCode, {
  name: "CountryCode",
  description: "An ISO 3166-1 alpha-2 country code.",
  valuesConfig: Object.fromEntries(Object.entries(COUNTRIES).map(([code, name]) => [code, { description: name }])),
});

export function minorUnits(currency: CurrencyCode): number {
  return CURRENCIES[currency].minorUnits;
}

export enum Incoterm {
  EXW = "EXW",
  FCA = "FCA",
  CPT = "CPT",
  CIP = "CIP",
  DAP = "DAP",
  DPU = "DPU",
  DDP = "DDP",
  FAS = "FAS",
  FOB = "FOB",
  CFR = "CFR",
  CIF = "CIF",
}

registerEnumType(Incoterm, {
  name: "Incoterm",
  description: "An Incoterms® 2020 rule: who pays for and bears the risk of carriage, insurance and duties.",
  valuesConfig: {
    EXW: { description: "Ex Works: the buyer collects at the exporter's premises." },
    FCA: { description: "Free Carrier: delivered to the buyer's carrier, export-cleared. Usual for air freight." },
    CPT: { description: "Carriage Paid To: the seller pays carriage to the named place; risk passes at handover." },
    CIP: { description: "Carriage and Insurance Paid To: as CPT, plus insurance of at least 110% under Institute Cargo Clauses (A)." },
    DAP: { description: "Delivered at Place: the seller delivers to the named place, not import-cleared." },
    DPU: { description: "Delivered at Place Unloaded: as DAP, unloaded by the seller." },
    DDP: { description: "Delivered Duty Paid: the seller delivers import-cleared, duties paid." },
    FAS: { description: "Free Alongside Ship (sea and inland waterway only)." },
    FOB: { description: "Free On Board (sea and inland waterway only)." },
    CFR: { description: "Cost and Freight (sea and inland waterway only)." },
    CIF: { description: "Cost, Insurance and Freight (sea and inland waterway only); insurance of at least 110%, clauses (C)." },
  },
});

/** A JSON object (an event's payload), as graphql-scalars defines it. */
export { GraphQLJSONObject as JSONObjectScalar } from "graphql-scalars";
