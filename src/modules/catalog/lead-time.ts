import { addBusinessDays, businessDaysBetween, calendarDaysBetween, type WorkingCalendar } from "../calendar";
import { ProductionSource } from "./catalog.enums";

// Goods that are ready (in stock, or out of a production run) still need quality control,
// packing and export paperwork before they ship.
export const DISPATCH_BUSINESS_DAYS = 2;

export interface BatchCapacity {
  id: string;
  readyDate: string;
  /** Units of the batch not yet promised to an order. */
  free: number;
  description: string;
}

export interface QuoteAllocation {
  source: ProductionSource;
  quantity: number;
  readyDate: string;
  batchId: string | null;
  description: string;
}

export interface Quote {
  quantity: number;
  fromStock: number;
  toProduce: number;
  allocations: QuoteAllocation[];
  estimatedShipDate: string;
  /** Business days on the exporter's calendar from today to the estimated ship date. */
  leadTimeBusinessDays: number;
  /** Calendar days from today to the estimated ship date (what `leadTimeDays` meant before). */
  leadTimeDays: number;
  basis: string;
}

/**
 * Splits a quantity over stock available now, then the free capacity of scheduled batches in the
 * order they become ready, then a new run started today that takes the standard lead time (in
 * business days). The piece ships DISPATCH_BUSINESS_DAYS after its last part is ready. Business
 * days are the exporter's (`calendar`), and `today` is the exporter's date.
 */
export function quoteLeadTime(input: {
  today: string;
  calendar: WorkingCalendar;
  quantity: number;
  available: number;
  batches: readonly BatchCapacity[];
  standardLeadTimeDays: number;
}): Quote {
  const allocations: QuoteAllocation[] = [];
  let left = input.quantity;

  const fromStock = Math.min(Math.max(input.available, 0), left);
  if (fromStock > 0) {
    allocations.push({ source: ProductionSource.STOCK, quantity: fromStock, readyDate: input.today, batchId: null, description: "stock" });
    left -= fromStock;
  }
  const batches = [...input.batches].filter((b) => b.free > 0 && b.readyDate >= input.today).sort((a, b) => a.readyDate.localeCompare(b.readyDate) || a.id.localeCompare(b.id));
  for (const batch of batches) {
    if (left === 0) break;
    const take = Math.min(batch.free, left);
    allocations.push({ source: ProductionSource.BATCH, quantity: take, readyDate: batch.readyDate, batchId: batch.id, description: batch.description });
    left -= take;
  }
  if (left > 0) {
    allocations.push({
      source: ProductionSource.NEW_RUN,
      quantity: left,
      readyDate: addBusinessDays(input.calendar, input.today, input.standardLeadTimeDays),
      batchId: null,
      description: "new production run",
    });
  }

  const lastReady = allocations.reduce((latest, a) => (a.readyDate > latest ? a.readyDate : latest), input.today);
  const estimatedShipDate = addBusinessDays(input.calendar, lastReady, DISPATCH_BUSINESS_DAYS);
  const toProduce = input.quantity - fromStock;
  const production = allocations.filter((a) => a.source !== ProductionSource.STOCK);
  const parts = [fromStock > 0 ? `${fromStock} from stock` : null, toProduce > 0 ? `${toProduce} made to order` : null].filter(Boolean).join(", ");
  const detail = production
    .map((a) => `${production.length > 1 ? `${a.quantity} in ` : ""}${a.description} ready ${a.readyDate}`)
    .join("; ");
  return {
    quantity: input.quantity,
    fromStock,
    toProduce,
    allocations,
    estimatedShipDate,
    leadTimeBusinessDays: businessDaysBetween(input.calendar, input.today, estimatedShipDate),
    leadTimeDays: calendarDaysBetween(input.today, estimatedShipDate),
    basis: `${parts}${detail ? `: ${detail}` : ""}; ships ${estimatedShipDate}`,
  };
}

/** How much of a variant's stock one PENDING order may hold (RESERVATION_MAX_SHARE_PERCENT, RESERVATION_MAX_UNITS). */
export interface ReservationLimits {
  maxSharePercent: number;
  maxUnits: number;
}

/**
 * The units of a variant one PENDING order may take from stock, given what is available when it
 * is placed (on hand − reserved): at most `maxSharePercent` percent of it, rounded down, and at
 * most `maxUnits`. While anything is available, at least one unit: the last piece on the shelf
 * can still be sold from stock. What a line asks beyond this is made to order, like any quantity
 * stock does not cover, so one order cannot take a variant's whole stock out of reach of every
 * other buyer while it waits for the exporter's confirmation.
 */
export function reservableFromStock(available: number, limits: ReservationLimits): number {
  if (available <= 0) return 0;
  const share = Math.floor((available * limits.maxSharePercent) / 100);
  return Math.min(limits.maxUnits, Math.max(1, share));
}
