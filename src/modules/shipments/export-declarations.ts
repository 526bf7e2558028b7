import { isValidDucr, isValidHongKongDeclaration, isValidIndianPortCode, isValidItn, isValidMrn, isValidShippingBillNumber, isValidThaiDeclaration } from "./identifiers";

// Which export declaration a shipment carries follows the country it is dispatched from: the
// exporter files with its own customs (docs/domain.md, "Export declaration numbers"). Pure
// functions over upper-cased numbers.

/** EU member states: each files an export declaration under the Union Customs Code, numbered by an MRN. */
export const EU_MEMBER_STATES: readonly string[] = [
  "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
  "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
];

export type DeclarationSystem = "IN_SHIPPING_BILL" | "EU_MRN" | "UK" | "US_ITN" | "TH_EXPORT" | "HK_EXPORT";

/** The export declaration a shipment from this country carries; null when Facet knows none. */
export function declarationSystemOf(country: string): DeclarationSystem | null {
  if (country === "IN") return "IN_SHIPPING_BILL";
  if (country === "US") return "US_ITN";
  if (country === "GB") return "UK";
  if (country === "TH") return "TH_EXPORT";
  if (country === "HK") return "HK_EXPORT";
  return EU_MEMBER_STATES.includes(country) ? "EU_MRN" : null;
}

const EXPECTED: Record<DeclarationSystem, string> = {
  IN_SHIPPING_BILL: "an Indian shipping bill (ICEGATE): its 7-digit number, e.g. 5512345, its date as the issue date and its port code, e.g. INBOM4",
  EU_MRN: "an EU export declaration's MRN (18 characters with a valid check character, declared in an EU member state)",
  UK: "a UK export declaration's MRN (18 characters, GB or XI, valid check character) or its DUCR (e.g. 9GB123456789012-SHIP42)",
  US_ITN: "a US AES ITN (X, the filing date YYYYMMDD and 6 digits)",
  TH_EXPORT: "a Thai e-Customs export declaration number (14 letters and digits)",
  HK_EXPORT: "a Hong Kong export declaration reference (8 to 20 letters and digits)",
};

export const SUPPORTED_DISPATCH = "India (IN), an EU member state, the United Kingdom (GB), the United States (US), Thailand (TH) and Hong Kong (HK)";

/** What a number looks like, for a message that says why it does not fit. */
function lookalike(number: string): string | null {
  if (isValidItn(number)) return "a US AES ITN";
  if (isValidMrn(number)) return `an MRN declared in ${number.slice(2, 4)}`;
  if (isValidDucr(number)) return "a UK DUCR";
  if (isValidShippingBillNumber(number)) return "an Indian shipping bill number";
  return null;
}

function numberFits(system: DeclarationSystem, number: string): boolean {
  switch (system) {
    case "IN_SHIPPING_BILL":
      return isValidShippingBillNumber(number);
    case "US_ITN":
      return isValidItn(number);
    case "EU_MRN":
      return isValidMrn(number) && EU_MEMBER_STATES.includes(number.slice(2, 4));
    case "UK":
      return (isValidMrn(number) && ["GB", "XI"].includes(number.slice(2, 4))) || isValidDucr(number);
    // Neither publishes a structure: a number shaped like another country's filing is not theirs.
    case "TH_EXPORT":
      return isValidThaiDeclaration(number) && lookalike(number) === null;
    case "HK_EXPORT":
      return isValidHongKongDeclaration(number) && lookalike(number) === null;
  }
}

export interface DeclarationProblem {
  field: "number" | "portCode";
  message: string;
  missing?: boolean;
}

/**
 * Why an export declaration number (upper case) and port code cannot be a shipment's from this
 * dispatch country, or null when they can. Only an Indian shipping bill has a port code.
 */
export function exportDeclarationProblem(dispatchCountry: string, number: string, portCode: string | null): DeclarationProblem | null {
  const system = declarationSystemOf(dispatchCountry);
  if (!system) return { field: "number", message: `Facet knows the export declarations of ${SUPPORTED_DISPATCH}, not of ${dispatchCountry}` };
  if (!numberFits(system, number)) {
    const looks = lookalike(number);
    return {
      field: "number",
      message: `This shipment is dispatched from ${dispatchCountry}: its export declaration is ${EXPECTED[system]}${looks ? `, not ${looks}` : ""}`,
    };
  }
  if (system !== "IN_SHIPPING_BILL") return portCode === null ? null : { field: "portCode", message: "Only an Indian shipping bill names a port code" };
  if (portCode === null) return { field: "portCode", message: "A shipping bill is known by its number, date and port code: give the port code, e.g. INBOM4", missing: true };
  if (!isValidIndianPortCode(portCode)) return { field: "portCode", message: "An Indian port code is IN, 3 letters and 1 digit, e.g. INBOM4 (Mumbai air cargo) or INDEL4 (Delhi air cargo)" };
  return null;
}
