import { Incoterm } from "../../graphql/scalars";

// What each Incoterms® 2020 rule puts on the seller, for a shipment that goes by air
// (docs/domain.md, "Incoterms and insurance cover"). Pure data.

/** Rules for sea and inland waterway transport only: meaningless for goods handed to an airline or courier. */
export const SEA_ONLY: readonly Incoterm[] = [Incoterm.FAS, Incoterm.FOB, Incoterm.CFR, Incoterm.CIF];

/** The rule that does for carriage of any kind what a sea-only rule does at a port (ICC's own advice for containers and air). */
export const ANY_MODE_EQUIVALENT: Readonly<Partial<Record<Incoterm, Incoterm>>> = {
  [Incoterm.FAS]: Incoterm.FCA,
  [Incoterm.FOB]: Incoterm.FCA,
  [Incoterm.CFR]: Incoterm.CPT,
  [Incoterm.CIF]: Incoterm.CIP,
};

/** Under CIP and CIF the seller insures at least 110% of the contract price. */
export const INSURED_RULES: readonly Incoterm[] = [Incoterm.CIP, Incoterm.CIF];

/** The costs the seller pays under a rule, and so invoices as charges of their own. */
export interface SellerCharges {
  /** The main carriage to the named place (A4 of the rule). */
  freight: boolean;
  /** The cargo insurance the rule obliges the seller to take out (A5). */
  insurance: boolean;
  /** Import duties and taxes at destination (A9 under DDP). */
  duties: boolean;
}

const NONE: SellerCharges = { freight: false, insurance: false, duties: false };
const CARRIAGE: SellerCharges = { freight: true, insurance: false, duties: false };

export const SELLER_CHARGES: Readonly<Record<Incoterm, SellerCharges>> = {
  // The buyer collects (EXW) or carries from the seller's handover (FCA, FAS, FOB).
  [Incoterm.EXW]: NONE,
  [Incoterm.FCA]: NONE,
  [Incoterm.FAS]: NONE,
  [Incoterm.FOB]: NONE,
  [Incoterm.CPT]: CARRIAGE,
  [Incoterm.CFR]: CARRIAGE,
  [Incoterm.CIP]: { freight: true, insurance: true, duties: false },
  [Incoterm.CIF]: { freight: true, insurance: true, duties: false },
  [Incoterm.DAP]: CARRIAGE,
  [Incoterm.DPU]: CARRIAGE,
  [Incoterm.DDP]: { freight: true, insurance: false, duties: true },
};

/** The rule as a contract and an invoice must state it: "CIP Dubai (DXB) Incoterms® 2020". */
export function incotermsText(rule: Incoterm, namedPlace: string | null): string {
  return namedPlace ? `${rule} ${namedPlace} Incoterms® 2020` : `${rule} Incoterms® 2020`;
}
