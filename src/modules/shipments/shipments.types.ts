import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import { Connection } from "../../graphql/connection";
import { Money } from "../../graphql/money";
import { CountryCode, DateTimeScalar, DecimalScalar, Incoterm, LocalDateScalar } from "../../graphql/scalars";
import { Metal, StoneOrigin, StoneType, Treatment, HsCode } from "../catalog";
import { AirwayBillType, DocumentKind, ShipmentStatus } from "./shipment-state";
import { Shipment } from "./shipment.entity";

export const ShipmentConnection = Connection(Shipment);

@ObjectType({ simpleResolvers: true, description: "An air waybill." })
export class AirwayBill {
  @Field(() => String, { description: "Display form: `176-12345675` for airline bills, the forwarder's number for house bills." })
  number: string;

  @Field(() => AirwayBillType, { description: "MASTER, DIRECT or HOUSE." })
  type: AirwayBillType;

  @Field(() => String, { nullable: true, description: "The airline named by the 3-digit prefix, where known." })
  airline: string | null;

  @Field(() => String, { nullable: true, description: "For a house bill: the master air waybill it travels under." })
  masterAirwayBill: string | null;
}

@ObjectType({ simpleResolvers: true, description: "Packages of one size." })
export class ShipmentPackage {
  @Field(() => Int, { description: "How many packages like this." })
  count: number;

  @Field(() => DecimalScalar, { description: "Net weight of each, kg." })
  netWeightKg: string;

  @Field(() => DecimalScalar, { description: "Gross weight of each, kg (at least the net weight)." })
  grossWeightKg: string;

  @Field(() => Int, { description: "Length, cm." })
  lengthCm: number;

  @Field(() => Int, { description: "Width, cm." })
  widthCm: number;

  @Field(() => Int, { description: "Height, cm." })
  heightCm: number;
}

@ObjectType({ simpleResolvers: true, description: "An order line in a shipment." })
export class ShipmentLineView {
  @Field(() => Int, { description: "The order line's number." })
  lineNumber: number;

  @Field(() => String, { description: "SKU (or the design brief reference)." })
  sku: string;

  @Field(() => String, { description: "Description as ordered." })
  description: string;

  @Field(() => Int, { description: "Units shipped." })
  quantity: number;
}

@ObjectType({ simpleResolvers: true, description: "A carrier's tracking event. Events are never changed or removed." })
export class TrackingEventView {
  @Field(() => DateTimeScalar, { description: "When it happened." })
  occurredAt: Date;

  @Field(() => ShipmentStatus, { description: "What it means for the shipment." })
  status: ShipmentStatus;

  @Field(() => String, { nullable: true, description: "Where." })
  location: string | null;

  @Field(() => String, { description: "The carrier's description." })
  description: string;

  @Field(() => String, { nullable: true, description: "The carrier's own status code, kept as sent (e.g. IATA DEP, RCF, DLV)." })
  carrierCode: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's event id; the same id is recorded once." })
  carrierEventId: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Estimated delivery the carrier gave with this event." })
  estimatedDeliveryAt: Date | null;

  id: string;
  seq: string;
}

export const TrackingEventConnection = Connection(TrackingEventView, "TrackingEvent");

@ObjectType({ simpleResolvers: true, description: "An export document of a shipment." })
export class ShipmentDocumentView {
  @Field(() => DocumentKind, { description: "Kind." })
  kind: DocumentKind;

  @Field(() => String, { description: "Document number." })
  number: string;

  @Field(() => LocalDateScalar, { description: "Issue date." })
  issueDate: string;

  @Field(() => String, { description: "https link to the file." })
  url: string;

  @Field(() => String, { description: "SHA-256 of the file, hex: check the download against it." })
  sha256: string;

  @Field(() => String, { nullable: true, description: "An Indian shipping bill's port code, e.g. INBOM4 (with its number and date it names the bill); null for every other document." })
  portCode: string | null;
}

export enum CarriageField {
  AIRWAY_BILL = "AIRWAY_BILL",
  TRACKING_NUMBER = "TRACKING_NUMBER",
}

registerEnumType(CarriageField, {
  name: "CarriageField",
  description: "A carriage reference of a shipment that may be set, and corrected until the shipment departs.",
  valuesConfig: {
    AIRWAY_BILL: { description: "The air waybill (and, for a house bill, its master)." },
    TRACKING_NUMBER: { description: "The carrier's tracking number." },
  },
});

@ObjectType({ simpleResolvers: true, description: "One setting or correction of a shipment's air waybill or tracking number. Once the shipment has departed neither changes." })
export class CarriageChange {
  @Field(() => CarriageField, { description: "What was set." })
  field: CarriageField;

  @Field(() => String, { nullable: true, description: "The number before, as shown (e.g. `176-12345675`); null when there was none." })
  from: string | null;

  @Field(() => String, { description: "The number after, as shown." })
  to: string;

  @Field(() => DateTimeScalar, { description: "When." })
  changedAt: Date;

  @Field(() => String, { description: "The export manager who made the change." })
  changedBy: string;
}

@ObjectType({ simpleResolvers: true, description: "The weights of a shipment, the same on its packing list, commercial invoice and customs declaration." })
export class ShipmentWeights {
  @Field(() => Int, { description: "Number of packages." })
  packageCount: number;

  @Field(() => DecimalScalar, { description: "Net weight declared on the packages, kg: the goods alone, within 10% (and 0.5 g per package) of `goodsNetWeightKg`." })
  netWeightKg: string;

  @Field(() => DecimalScalar, { description: "Gross weight declared on the packages, kg (goods and packaging); at least the net weight." })
  grossWeightKg: string;

  @Field(() => DecimalScalar, { description: "Net weight of the goods computed from the catalog: metal plus stones at 0.2 g per carat, kg." })
  goodsNetWeightKg: string;

  @Field(() => Boolean, { description: "False when a line's metal weight is unknown: `goodsNetWeightKg` is then a floor." })
  goodsNetWeightComplete: boolean;
}

@ObjectType({ simpleResolvers: true, description: "The costs the seller bears under the Incoterms® 2020 rule, invoiced on top of the goods." })
export class InvoiceCharges {
  @Field(() => Money, { nullable: true, description: "Main carriage to the named place (CPT, CIP, DAP, DPU, DDP); null under rules where the buyer pays it." })
  freight: Money | null;

  @Field(() => Money, { nullable: true, description: "Cargo insurance premium the seller pays (CIP); null otherwise." })
  insurance: Money | null;

  @Field(() => Money, { nullable: true, description: "Import duties and taxes at destination (DDP only); null otherwise." })
  duties: Money | null;
}

@ObjectType({ simpleResolvers: true, description: "Goods of one tariff code and origin, as declared to customs." })
export class HsDeclarationLine {
  @Field(() => HsCode, { description: "Tariff code." })
  hsCode: HsCode;

  @Field(() => CountryCode, { description: "Country of origin." })
  countryOfOrigin: CountryCode;

  @Field(() => Int, { description: "Units." })
  quantity: number;

  @Field(() => DecimalScalar, { description: "Net weight of the goods in grams (metal and stones)." })
  netWeightGrams: string;

  @Field(() => Money, { description: "Invoice value." })
  value: Money;
}

@ObjectType({ simpleResolvers: true, description: "Precious metal of one kind and fineness in the shipment." })
export class MetalDeclaration {
  @Field(() => Metal, { description: "Metal." })
  metal: Metal;

  @Field(() => Int, { nullable: true, description: "Fineness in ‰." })
  fineness: number | null;

  @Field(() => Int, { nullable: true, description: "Gold karat." })
  karat: number | null;

  @Field(() => DecimalScalar, { description: "Total metal weight in grams." })
  weightGrams: string;
}

@ObjectType({ simpleResolvers: true, description: "Stones of one kind, origin and treatment in the shipment (FTC Jewelry Guides disclosure)." })
export class GemstoneDisclosure {
  @Field(() => StoneType, { description: "Stone." })
  type: StoneType;

  @Field(() => StoneOrigin, { description: "Natural, lab-grown or simulant." })
  origin: StoneOrigin;

  @Field(() => [Treatment], { description: "Treatments." })
  treatments: Treatment[];

  @Field(() => String, { description: 'Name as disclosed, e.g. "lab-grown diamond".' })
  displayName: string;

  @Field(() => Int, { description: "Number of stones." })
  count: number;

  @Field(() => DecimalScalar, { description: "Total carat weight." })
  totalCarat: string;
}

@ObjectType({ simpleResolvers: true, description: "Cargo insurance of a shipment." })
export class InsuranceCover {
  @Field(() => String, { description: "Insurer." })
  insurer: string;

  @Field(() => String, { description: "Policy number." })
  policyNumber: string;

  @Field(() => Money, { description: "Insured value." })
  insuredAmount: Money;
}

@ObjectType({ simpleResolvers: true, description: "The customs declaration, computed by Facet from the order lines and the catalog." })
export class CustomsDeclaration {
  @Field(() => Incoterm, { description: "Incoterms® 2020 rule of the sale." })
  incoterm: Incoterm;

  @Field(() => String, { nullable: true, description: "The rule's named place; null for shipments made before it was recorded." })
  namedPlace: string | null;

  @Field(() => CountryCode, { description: "The country the goods are exported from; its customs' declaration is the one the shipment carries." })
  dispatchCountry: CountryCode;

  @Field(() => Money, { description: "Value of the shipped goods; the HS lines' values add up to it exactly." })
  goodsValue: Money;

  @Field(() => InvoiceCharges, { description: "The charges the seller bears under the rule, as on the commercial invoice." })
  charges: InvoiceCharges;

  @Field(() => Money, { description: "The commercial invoice's total: the goods plus the charges the seller bears under the rule." })
  invoiceTotal: Money;

  @Field(() => ShipmentWeights, { description: "Packages and weights, as on the packing list and the commercial invoice." })
  weights: ShipmentWeights;

  @Field(() => [HsDeclarationLine], { description: "Goods grouped by HS code and origin; their net weights add up to `weights.goodsNetWeightKg`." })
  hsLines: HsDeclarationLine[];

  @Field(() => [MetalDeclaration], { description: "Precious and base metals by kind and fineness." })
  metalDeclarations: MetalDeclaration[];

  @Field(() => [GemstoneDisclosure], { description: "Stones by kind, origin and treatment." })
  gemstoneDisclosures: GemstoneDisclosure[];

  @Field(() => String, { nullable: true, description: "The WDC System of Warranties statement, when natural diamonds are in the shipment." })
  systemOfWarrantiesStatement: string | null;

  @Field(() => InsuranceCover, { nullable: true, description: "Insurance cover; always present under CIP and CIF, for at least 110% of the invoice value." })
  insurance: InsuranceCover | null;

  @Field(() => Money, { nullable: true, description: "The least cover Incoterms® 2020 require under CIP and CIF: 110% of the invoice total (goods, freight and insurance), rounded up; null otherwise." })
  minimumInsuredAmount: Money | null;
}

@ObjectType({ simpleResolvers: true, description: "One order line as this shipment invoices it." })
export class CommercialInvoiceLine {
  @Field(() => Int, { description: "The order line's number." })
  lineNumber: number;

  @Field(() => String, { description: "SKU (or the design brief reference)." })
  sku: string;

  @Field(() => String, { description: "Description as ordered." })
  description: string;

  @Field(() => HsCode, { description: "Tariff code, from the catalog." })
  hsCode: HsCode;

  @Field(() => CountryCode, { description: "Country of origin, from the catalog." })
  countryOfOrigin: CountryCode;

  @Field(() => Int, { description: "Units in this shipment; the packing list shows the same." })
  quantity: number;

  @Field(() => Money, { description: "Unit price as ordered." })
  unitPrice: Money;

  @Field(() => Money, { description: "Quantity times unit price." })
  lineTotal: Money;
}

@ObjectType({ simpleResolvers: true, description: "The commercial invoice's data for a shipment, computed by Facet from the order lines and the catalog." })
export class CommercialInvoice {
  @Field(() => Incoterm, { description: "Incoterms® 2020 rule of the sale." })
  incoterm: Incoterm;

  @Field(() => String, { nullable: true, description: "The rule's named place; null for shipments made before it was recorded." })
  namedPlace: string | null;

  @Field(() => String, { description: 'The terms as the invoice states them: rule, named place and edition, e.g. "CIP Dubai (DXB), United Arab Emirates Incoterms® 2020".' })
  terms: string;

  @Field(() => CountryCode, { description: "The country the goods are exported from." })
  dispatchCountry: CountryCode;

  @Field(() => [CommercialInvoiceLine], { description: "The shipped lines, by line number." })
  lines: CommercialInvoiceLine[];

  @Field(() => Money, { description: "Sum of the line totals: the value of the goods." })
  goodsTotal: Money;

  @Field(() => InvoiceCharges, { description: "The charges the seller bears under the rule (freight, insurance, duties and taxes)." })
  charges: InvoiceCharges;

  @Field(() => Money, { description: "The goods plus the charges the seller bears under the rule; equal to the customs declaration's invoice total." })
  total: Money;

  @Field(() => ShipmentWeights, { description: "Packages and weights, as on the packing list." })
  weights: ShipmentWeights;

  @Field(() => String, { nullable: true, description: "The WDC System of Warranties statement the invoice carries when natural diamonds are in the shipment." })
  systemOfWarrantiesStatement: string | null;
}

@ObjectType({ simpleResolvers: true, description: "The packing list: what is in the packages, without prices." })
export class PackingList {
  @Field(() => [ShipmentPackage], { description: "Packages." })
  packages: ShipmentPackage[];

  @Field(() => Int, { description: "Number of packages." })
  packageCount: number;

  @Field(() => DecimalScalar, { description: "Total net weight, kg." })
  totalNetWeightKg: string;

  @Field(() => DecimalScalar, { description: "Total gross weight, kg; at least the net weight." })
  totalGrossWeightKg: string;

  @Field(() => [ShipmentLineView], { description: "Contents; quantities equal the invoice's." })
  lines: ShipmentLineView[];

  @Field(() => ShipmentWeights, { description: "Packages and weights, with the goods' net weight computed from the catalog; the same on the invoice and the declaration." })
  weights: ShipmentWeights;
}
