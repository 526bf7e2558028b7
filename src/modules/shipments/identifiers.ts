// Air waybill, courier tracking and export declaration numbers: formats and check characters
// (docs/domain.md: "Air waybills", "Carrier tracking numbers", "Export declaration numbers").
// Pure functions; numbers are always strings.

/** IATA airline prefixes Facet names (docs/domain.md, "Airline prefixes"); reference data, kept up to date by hand. */
export const AIRLINES: Record<string, string> = {
  "001": "American Airlines",
  "006": "Delta Air Lines",
  "014": "Air Canada",
  "016": "United Airlines",
  "020": "Lufthansa Cargo",
  "023": "FedEx",
  "057": "Air France",
  "074": "KLM",
  "098": "Air India",
  "125": "British Airways",
  "157": "Qatar Airways",
  "160": "Cathay Pacific",
  "172": "Cargolux",
  "176": "Emirates",
  "180": "Korean Air",
  "217": "Thai Airways",
  "235": "Turkish Airlines",
  "297": "China Airlines",
  "406": "UPS Airlines",
  "618": "Singapore Airlines",
  "695": "EVA Air",
  "738": "Vietnam Airlines",
  "781": "China Eastern",
  "988": "Asiana Airlines",
  "999": "Air China",
};

/**
 * The 11 digits of an IATA air waybill (3-digit airline prefix 001–999, 7-digit serial, check
 * digit = serial mod 7), from `176-12345675` or `17612345675`; null when malformed or the check
 * fails. The check digit does not cover the prefix, so `000`, which no airline holds, is refused
 * on its own.
 */
export function parseIataAwb(input: string): string | null {
  const m = /^(\d{3})[- ]?(\d{7})(\d)$/.exec(input.trim());
  if (!m || m[1] === "000") return null;
  return Number(m[2]) % 7 === Number(m[3]) ? `${m[1]}${m[2]}${m[3]}` : null;
}

export function formatIataAwb(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3)}`;
}

/** House bills are numbered by the forwarder: letters and digits, no IATA check digit. */
export function parseHouseAwb(input: string): string | null {
  const value = input.trim().toUpperCase();
  return /^[A-Z0-9]{1,12}$/.test(value) ? value : null;
}

export enum TrackingCarrier {
  DHL_EXPRESS = "DHL_EXPRESS",
  FEDEX = "FEDEX",
  UPS = "UPS",
  FREIGHT_FORWARDER = "FREIGHT_FORWARDER",
  OTHER = "OTHER",
}

const digitsOf = (s: string) => [...s].map(Number);

// DHL Express waybill: 9 or 10 serial digits, then serial mod 7.
function dhlExpress(n: string): boolean {
  if (!/^\d{10,11}$/.test(n)) return false;
  return Number(BigInt(n.slice(0, -1)) % 7n) === Number(n.at(-1));
}

// FedEx Express 12: weights 3,1,7 over the first 11 digits, then mod 11, mod 10.
function fedexExpress(n: string): boolean {
  if (!/^\d{12}$/.test(n)) return false;
  const weights = [3, 1, 7, 3, 1, 7, 3, 1, 7, 3, 1];
  const sum = digitsOf(n.slice(0, 11)).reduce((acc, d, i) => acc + d * weights[i], 0);
  return (sum % 11) % 10 === Number(n[11]);
}

// FedEx Ground: mod 10 over 14 digits with odd (0-based) positions tripled. The 15-digit number
// is all serial; the 22-digit "96" barcode carries the same serial in its last 15 digits.
function fedexGroundSerial(serial: string): boolean {
  const sum = digitsOf(serial.slice(0, 14)).reduce((acc, d, i) => acc + d * (i % 2 === 1 ? 3 : 1), 0);
  return (10 - (sum % 10)) % 10 === Number(serial[14]);
}

function fedexGround(n: string): boolean {
  if (/^\d{15}$/.test(n)) return fedexGroundSerial(n);
  if (/^96\d{20}$/.test(n)) return fedexGroundSerial(n.slice(7));
  return false;
}

// UPS mod 10: letters count as (code − 63) mod 10 (A = 2), odd (0-based) positions doubled.
function upsCheck(serial: string): number {
  const values = [...serial].map((c) => (/\d/.test(c) ? Number(c) : (c.charCodeAt(0) - 63) % 10));
  const sum = values.reduce((acc, v, i) => acc + v * (i % 2 === 1 ? 2 : 1), 0);
  return (10 - (sum % 10)) % 10;
}

// UPS 1Z: "1Z", 15 characters (shipper, service, package), then a check digit, always a digit.
function ups1z(n: string): boolean {
  return /^1Z[A-Z0-9]{15}\d$/.test(n) && upsCheck(n.slice(2, 17)) === Number(n[17]);
}

// UPS waybill: a letter, 9 digits, then the same mod-10 check digit over the 9 digits.
function upsWaybill(n: string): boolean {
  return /^[AHJKTV]\d{10}$/.test(n) && upsCheck(n.slice(1, 10)) === Number(n[10]);
}

export interface TrackingNumber {
  value: string;
  url: string | null;
}

/**
 * A carrier's tracking number, normalised (spaces removed, upper case) and checked against the
 * carrier's formats and check digits, with the carrier's public tracking link. Null when invalid.
 */
export function parseTrackingNumber(carrier: TrackingCarrier, input: string): TrackingNumber | null {
  const n = input.replace(/\s+/g, "").toUpperCase();
  switch (carrier) {
    case TrackingCarrier.DHL_EXPRESS:
      return dhlExpress(n) || /^J[A-Z]{2,3}\d{9,10}$/.test(n) ? { value: n, url: `https://www.dhl.com/en/express/tracking.html?AWB=${n}&brand=DHL` } : null;
    case TrackingCarrier.FEDEX:
      return fedexExpress(n) || fedexGround(n) ? { value: n, url: `https://www.fedex.com/fedextrack/?trknbr=${n}` } : null;
    case TrackingCarrier.UPS:
      return ups1z(n) || upsWaybill(n) ? { value: n, url: `https://www.ups.com/track?tracknum=${n}` } : null;
    default:
      return /^[A-Z0-9-]{4,40}$/.test(n) ? { value: n, url: null } : null;
  }
}

/** US AES Internal Transaction Number: X + acceptance date YYYYMMDD + 6 digits. */
export function isValidItn(input: string): boolean {
  const m = /^X(\d{4})(\d{2})(\d{2})\d{6}$/.exec(input);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}

// ISO 6346 letter values, skipping multiples of 11 (as HMRC's MRN check does).
const LETTER_VALUES: Record<string, number> = (() => {
  const values: Record<string, number> = {};
  let v = 10;
  for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
    if (v % 11 === 0) v++;
    values[c] = v++;
  }
  return values;
})();

/** EU/UK Movement Reference Number: 18 characters with an ISO 6346-style check character. */
export function isValidMrn(input: string): boolean {
  if (!/^\d{2}[A-Z]{2}[A-Z0-9]{13}\d$/.test(input)) return false;
  const sum = [...input.slice(0, 17)].reduce((acc, c, i) => acc + (/\d/.test(c) ? Number(c) : LETTER_VALUES[c]) * 2 ** i, 0);
  return (sum % 11) % 10 === Number(input[17]);
}

/** Indian shipping bill number, as ICES assigns it at a port: 7 digits (unique per port, not across ports). */
export function isValidShippingBillNumber(input: string): boolean {
  return /^\d{7}$/.test(input);
}

/** Indian customs port code: IN, a 3-letter location and 1 digit for the kind of port (4: air cargo), e.g. INBOM4. */
export function isValidIndianPortCode(input: string): boolean {
  return /^IN[A-Z]{3}\d$/.test(input);
}

/**
 * UK Declaration Unique Consignment Reference: the year's last digit, the country that allocated
 * it (GB, or XI for Northern Ireland), the trader's 12-digit EORI number, a hyphen and the
 * trader's own reference (letters, digits, hyphens and brackets), 35 characters at most.
 */
export function isValidDucr(input: string): boolean {
  return input.length <= 35 && /^\d(GB|XI)\d{12}-[A-Z0-9()-]{1,19}$/.test(input);
}

/** Thai e-Customs export declaration number: 14 letters and digits (no check character is published). */
export function isValidThaiDeclaration(input: string): boolean {
  return /^[A-Z0-9]{14}$/.test(input);
}

/** Hong Kong import/export declaration reference: 8 to 20 letters and digits (no structure is published). */
export function isValidHongKongDeclaration(input: string): boolean {
  return /^[A-Z0-9]{8,20}$/.test(input);
}
