import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { MoneyInput } from "../../graphql/money";
import { CountryCode, DateTimeScalar, DecimalScalar, LocalDateScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import { AirwayBillType, Carrier, DocumentKind, ShipmentStatus } from "./shipment-state";
import { TrackingEventView } from "./shipments.types";
import { Shipment } from "./shipment.entity";

@InputType({ description: "Filters for the shipment list; every given filter must match." })
export class ShipmentFilter {
  @Field(() => [ShipmentStatus], { nullable: true, description: "Only shipments in one of these statuses." })
  status?: ShipmentStatus[] | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only shipments changed at or after this time; the list is then in update order, for sync." })
  updatedSince?: Date | null;
}

@InputType({ description: "Packages of one size." })
export class PackageInput {
  @Field(() => Int, { defaultValue: 1, description: "How many, 1 to 1000." })
  count: number;

  @Field(() => DecimalScalar, { description: "Net weight of each, kg, up to 3 decimals." })
  netWeightKg: string;

  @Field(() => DecimalScalar, { description: "Gross weight of each, kg, at least the net weight." })
  grossWeightKg: string;

  @Field(() => Int, { description: "Length, 1 to 500 cm." })
  lengthCm: number;

  @Field(() => Int, { description: "Width, 1 to 500 cm." })
  widthCm: number;

  @Field(() => Int, { description: "Height, 1 to 500 cm." })
  heightCm: number;
}

@InputType({ description: "Cargo insurance." })
export class InsuranceInput {
  @Field(() => String, { description: "Insurer, up to 200 characters." })
  insurer: string;

  @Field(() => String, { description: "Policy number, up to 60 characters." })
  policyNumber: string;

  @Field(() => MoneyInput, { description: "Insured value, in the order's currency; at least 110% of the invoice value under CIP and CIF." })
  insuredAmount: MoneyInput;
}

@InputType({ description: "The costs the seller bears under the order's Incoterms® 2020 rule, each in the order's currency. Give exactly those the rule puts on the seller." })
export class ShipmentChargesInput {
  @Field(() => MoneyInput, { nullable: true, description: "Main carriage to the named place, more than 0: required under CPT, CIP, DAP, DPU and DDP, refused under EXW and FCA (the buyer pays it)." })
  freight?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: "The cargo insurance premium, more than 0: required under CIP, refused under the other rules." })
  insurance?: MoneyInput | null;

  @Field(() => MoneyInput, { nullable: true, description: "Import duties and taxes at destination, 0 or more: required under DDP, refused under the other rules." })
  duties?: MoneyInput | null;
}

@InputType({ description: "Units of one order line to put in a shipment." })
export class ShipmentLineInput {
  @Field(() => Int, { description: "The order line's number." })
  lineNumber: number;

  @Field(() => Int, {
    nullable: true,
    description: "How many units, each ready to ship (see `OrderLine.madeToOrderReady`); every ready unit of the line not yet in a shipment when omitted.",
  })
  quantity?: number | null;
}

@InputType({ description: "A new shipment of what is ready of a confirmed order." })
export class CreateShipmentInput {
  @Field(() => ID, { description: "The order: confirmed and not wholly shipped (CONFIRMED, IN_PRODUCTION, QUALITY_CHECK, PACKED or PARTIALLY_SHIPPED)." })
  orderId: string;

  @Field(() => [ShipmentLineInput], {
    nullable: true,
    description:
      "The order lines to ship and how many units of each; every ready unit not yet in a shipment when omitted. Units from stock are ready once the order is confirmed, made-to-order units once made (`markOrderLineReady`, or their production batch's ready date), every unit once the order is PACKED.",
  })
  lines?: ShipmentLineInput[] | null;

  @Field(() => Carrier, { description: "Carrier." })
  carrier: Carrier;

  @Field(() => String, { description: "The carrier's service, up to 60 characters." })
  service: string;

  @Field(() => [PackageInput], { description: "1 to 50 package sizes." })
  packages: PackageInput[];

  @Field(() => InsuranceInput, { nullable: true, description: "Insurance; required when the order's Incoterm is CIP or CIF." })
  insurance?: InsuranceInput | null;

  @Field(() => String, {
    description:
      "The named place of the order's Incoterms® 2020 rule, 2 to 100 characters: where the seller delivers (FCA: e.g. `Jaipur airport (JAI), India`) or carriage is paid to (CPT, CIP, DAP, DPU, DDP: e.g. `Paris CDG airport, France`).",
  })
  namedPlace: string;

  @Field(() => CountryCode, {
    nullable: true,
    description: "The country the goods leave from, which decides the export declaration they carry (IN, an EU member state, GB, US, TH or HK); the exporter's country (EXPORTER_COUNTRY) when omitted.",
  })
  dispatchCountry?: CountryCode | null;

  @Field(() => ShipmentChargesInput, { nullable: true, description: "The charges the seller bears under the order's rule: freight under CPT, CIP, DAP, DPU, DDP; the insurance premium under CIP; duties and taxes under DDP." })
  charges?: ShipmentChargesInput | null;
}

@InputType({ description: "An air waybill for a shipment." })
export class SetAirwayBillInput {
  @Field(() => ID, { description: "The shipment." })
  shipmentId: string;

  @Field(() => String, { description: "MASTER or DIRECT: 11 digits with a valid mod-7 check, `176-12345675` or `17612345675`. HOUSE: the forwarder's number, 1 to 12 letters and digits." })
  number: string;

  @Field(() => AirwayBillType, { description: "MASTER, DIRECT or HOUSE." })
  type: AirwayBillType;

  @Field(() => String, { nullable: true, description: "HOUSE only, and required then: the master air waybill (11 digits, mod-7 check)." })
  masterAirwayBill?: string | null;
}

@InputType({ description: "A carrier tracking number for a shipment." })
export class SetTrackingNumberInput {
  @Field(() => ID, { description: "The shipment." })
  shipmentId: string;

  @Field(() => String, { description: "Checked against the carrier's format and check digit; spaces are ignored." })
  trackingNumber: string;
}

@InputType({ description: "A tracking event from the carrier." })
export class RecordTrackingEventInput {
  @Field(() => ID, { description: "The shipment." })
  shipmentId: string;

  @Field(() => DateTimeScalar, { description: "When it happened, with its UTC offset; not in the future." })
  occurredAt: Date;

  @Field(() => ShipmentStatus, { description: "What it means for the shipment (not PENDING)." })
  status: ShipmentStatus;

  @Field(() => String, { nullable: true, description: "Where, up to 200 characters." })
  location?: string | null;

  @Field(() => String, { description: "The carrier's description, 1 to 500 characters." })
  description: string;

  @Field(() => String, { nullable: true, description: "The carrier's own code, kept raw (up to 40 characters)." })
  carrierCode?: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's event id (up to 100 characters); an event with the same id is recorded once." })
  carrierEventId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Estimated delivery given with the event." })
  estimatedDeliveryAt?: Date | null;
}

@InputType({ description: "An export document for a shipment." })
export class AddShipmentDocumentInput {
  @Field(() => ID, { description: "The shipment." })
  shipmentId: string;

  @Field(() => DocumentKind, { description: "Kind." })
  kind: DocumentKind;

  @Field(() => String, {
    description:
      "Number, up to 60 characters. An export declaration's follows the shipment's dispatch country: an Indian shipping bill (7 digits), an EU MRN, a UK MRN or DUCR, a US ITN, a Thai (14 characters) or Hong Kong declaration number. An air waybill document's is the shipment's air waybill.",
  })
  number: string;

  @Field(() => LocalDateScalar, { description: "Issue date, not in the future." })
  issueDate: string;

  @Field(() => String, { description: "https link to the file." })
  url: string;

  @Field(() => String, { description: "SHA-256 of the file, 64 hex characters." })
  sha256: string;

  @Field(() => String, { nullable: true, description: "An Indian shipping bill's port code (IN + 3 letters + 1 digit, e.g. INBOM4): required for it, refused for any other document." })
  portCode?: string | null;
}

function shipmentPayload(name: string) {
  @ObjectType(`${name}Payload`, { simpleResolvers: true, description: `The result of \`${name[0].toLowerCase()}${name.slice(1)}\`.` })
  class ShipmentPayload extends Payload {
    @Field(() => Shipment, { nullable: true, description: "The shipment as it is now." })
    shipment?: Shipment | null;
  }
  return ShipmentPayload;
}

export const CreateShipmentPayload = shipmentPayload("CreateShipment");
export const SetAirwayBillPayload = shipmentPayload("SetAirwayBill");
export const SetTrackingNumberPayload = shipmentPayload("SetTrackingNumber");
export const AddShipmentDocumentPayload = shipmentPayload("AddShipmentDocument");

@ObjectType({ simpleResolvers: true, description: "The result of `recordTrackingEvent`." })
export class RecordTrackingEventPayload extends Payload {
  @Field(() => Shipment, { nullable: true, description: "The shipment, with its status and ETA following the latest event." })
  shipment?: Shipment | null;

  @Field(() => TrackingEventView, { nullable: true, description: "The event (the earlier one, when its carrier event id was already recorded)." })
  event?: TrackingEventView | null;
}
