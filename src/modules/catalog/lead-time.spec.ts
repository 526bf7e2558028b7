import { workingCalendar } from "../calendar";
import { ProductionSource } from "./catalog.enums";
import { DISPATCH_BUSINESS_DAYS, quoteLeadTime, type BatchCapacity } from "./lead-time";

// 2025-01-06 is a Monday; 2025-01-10 a Friday. Most quotes below count Monday to Friday with no
// holidays, the arithmetic is the same on any calendar (see calendar/business-days.spec.ts);
// the last ones use the exporter's Indian calendar.
const MONDAY = "2025-01-06";
const FRIDAY = "2025-01-10";
const MON_TO_FRI = workingCalendar([6, 7]);

const batch = (id: string, readyDate: string, free: number, description = "casting run"): BatchCapacity => ({ id, readyDate, free, description });

describe("quoteLeadTime", () => {
  it("ships all from stock two business days from today", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 5, available: 10, batches: [batch("b1", "2025-01-15", 50)], standardLeadTimeDays: 15 });
    expect(quote).toEqual({
      quantity: 5,
      fromStock: 5,
      toProduce: 0,
      allocations: [{ source: ProductionSource.STOCK, quantity: 5, readyDate: MONDAY, batchId: null, description: "stock" }],
      estimatedShipDate: "2025-01-08",
      leadTimeBusinessDays: 2,
      leadTimeDays: 2,
      basis: "5 from stock; ships 2025-01-08",
    });
  });

  it("uses exactly the stock available when it covers the quantity", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 10, available: 10, batches: [], standardLeadTimeDays: 15 });
    expect(quote.fromStock).toBe(10);
    expect(quote.toProduce).toBe(0);
    expect(quote.allocations.map((a) => a.source)).toEqual([ProductionSource.STOCK]);
  });

  it("counts dispatch days over the weekend from a Friday", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: FRIDAY, quantity: 1, available: 1, batches: [], standardLeadTimeDays: 15 });
    expect(DISPATCH_BUSINESS_DAYS).toBe(2);
    expect(quote.estimatedShipDate).toBe("2025-01-14");
    expect(quote.leadTimeBusinessDays).toBe(2);
    expect(quote.leadTimeDays).toBe(4);
    expect(quote.basis).toBe("1 from stock; ships 2025-01-14");
  });

  it("takes the rest from one batch", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 10, available: 3, batches: [batch("b1", "2025-01-20", 20)], standardLeadTimeDays: 15 });
    expect(quote.fromStock).toBe(3);
    expect(quote.toProduce).toBe(7);
    expect(quote.allocations).toEqual([
      { source: ProductionSource.STOCK, quantity: 3, readyDate: MONDAY, batchId: null, description: "stock" },
      { source: ProductionSource.BATCH, quantity: 7, readyDate: "2025-01-20", batchId: "b1", description: "casting run" },
    ]);
    expect(quote.estimatedShipDate).toBe("2025-01-22");
    expect(quote.leadTimeDays).toBe(16);
    expect(quote.basis).toBe("3 from stock, 7 made to order: casting run ready 2025-01-20; ships 2025-01-22");
  });

  it("fills batches in ready-date order whatever the input order", () => {
    const quote = quoteLeadTime({
      calendar: MON_TO_FRI,
      today: MONDAY,
      quantity: 12,
      available: 2,
      batches: [batch("b2", "2025-01-27", 10, "second run"), batch("b1", "2025-01-15", 4, "first run")],
      standardLeadTimeDays: 15,
    });
    expect(quote.allocations).toEqual([
      { source: ProductionSource.STOCK, quantity: 2, readyDate: MONDAY, batchId: null, description: "stock" },
      { source: ProductionSource.BATCH, quantity: 4, readyDate: "2025-01-15", batchId: "b1", description: "first run" },
      { source: ProductionSource.BATCH, quantity: 6, readyDate: "2025-01-27", batchId: "b2", description: "second run" },
    ]);
    expect(quote.fromStock).toBe(2);
    expect(quote.toProduce).toBe(10);
    expect(quote.estimatedShipDate).toBe("2025-01-29");
    expect(quote.leadTimeDays).toBe(23);
    expect(quote.basis).toBe("2 from stock, 10 made to order: 4 in first run ready 2025-01-15; 6 in second run ready 2025-01-27; ships 2025-01-29");
  });

  it("orders batches ready the same day by id", () => {
    const quote = quoteLeadTime({
      calendar: MON_TO_FRI,
      today: MONDAY,
      quantity: 3,
      available: 0,
      batches: [batch("b9", "2025-01-15", 2, "later id"), batch("b1", "2025-01-15", 2, "earlier id")],
      standardLeadTimeDays: 15,
    });
    expect(quote.allocations.map((a) => [a.batchId, a.quantity])).toEqual([
      ["b1", 2],
      ["b9", 1],
    ]);
  });

  it("stops at the batches it needs", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 4, available: 0, batches: [batch("b1", "2025-01-15", 4), batch("b2", "2025-01-27", 10)], standardLeadTimeDays: 15 });
    expect(quote.allocations.map((a) => a.batchId)).toEqual(["b1"]);
    expect(quote.estimatedShipDate).toBe("2025-01-17");
  });

  it("skips batches without free capacity and batches ready before today", () => {
    const quote = quoteLeadTime({
      calendar: MON_TO_FRI,
      today: MONDAY,
      quantity: 5,
      available: 0,
      batches: [batch("full", "2025-01-08", 0), batch("late", "2025-01-03", 50), batch("overbooked", "2025-01-09", -2)],
      standardLeadTimeDays: 10,
    });
    expect(quote.allocations).toEqual([
      { source: ProductionSource.NEW_RUN, quantity: 5, readyDate: "2025-01-20", batchId: null, description: "new production run" },
    ]);
    expect(quote.estimatedShipDate).toBe("2025-01-22");
  });

  it("uses a batch ready today", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 2, available: 0, batches: [batch("b1", MONDAY, 5)], standardLeadTimeDays: 10 });
    expect(quote.allocations).toEqual([{ source: ProductionSource.BATCH, quantity: 2, readyDate: MONDAY, batchId: "b1", description: "casting run" }]);
    expect(quote.estimatedShipDate).toBe("2025-01-08");
  });

  it("puts the remainder in a new run of the standard lead time in business days", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 5, available: 0, batches: [], standardLeadTimeDays: 15 });
    expect(quote).toEqual({
      quantity: 5,
      fromStock: 0,
      toProduce: 5,
      allocations: [{ source: ProductionSource.NEW_RUN, quantity: 5, readyDate: "2025-01-27", batchId: null, description: "new production run" }],
      estimatedShipDate: "2025-01-29",
      leadTimeBusinessDays: 17,
      leadTimeDays: 23,
      basis: "5 made to order: new production run ready 2025-01-27; ships 2025-01-29",
    });
  });

  it("combines stock, a batch and a new run, shipping after the last part", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 20, available: 5, batches: [batch("b1", "2025-01-15", 8)], standardLeadTimeDays: 10 });
    expect(quote.allocations.map((a) => [a.source, a.quantity, a.readyDate])).toEqual([
      [ProductionSource.STOCK, 5, MONDAY],
      [ProductionSource.BATCH, 8, "2025-01-15"],
      [ProductionSource.NEW_RUN, 7, "2025-01-20"],
    ]);
    expect(quote.fromStock).toBe(5);
    expect(quote.toProduce).toBe(15);
    expect(quote.estimatedShipDate).toBe("2025-01-22");
    expect(quote.leadTimeDays).toBe(16);
    expect(quote.basis).toBe("5 from stock, 15 made to order: 8 in casting run ready 2025-01-15; 7 in new production run ready 2025-01-20; ships 2025-01-22");
  });

  it("ships a batch ready on a Saturday two business days later", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 1, available: 0, batches: [batch("b1", "2025-01-18", 1)], standardLeadTimeDays: 30 });
    expect(quote.estimatedShipDate).toBe("2025-01-21");
    expect(quote.leadTimeDays).toBe(15);
  });

  it("treats negative availability as none", () => {
    const quote = quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 2, available: -3, batches: [], standardLeadTimeDays: 0 });
    expect(quote.fromStock).toBe(0);
    expect(quote.allocations).toEqual([{ source: ProductionSource.NEW_RUN, quantity: 2, readyDate: MONDAY, batchId: null, description: "new production run" }]);
    expect(quote.estimatedShipDate).toBe("2025-01-08");
    expect(quote.basis).toBe("2 made to order: new production run ready 2025-01-06; ships 2025-01-08");
  });

  it("does not reorder the caller's batches", () => {
    const batches = [batch("b2", "2025-01-27", 1), batch("b1", "2025-01-15", 1)];
    quoteLeadTime({ calendar: MON_TO_FRI, today: MONDAY, quantity: 2, available: 0, batches, standardLeadTimeDays: 10 });
    expect(batches.map((b) => b.id)).toEqual(["b2", "b1"]);
  });
});

describe("quoteLeadTime on the exporter's Indian calendar", () => {
  // Sunday off; Christmas (Friday 2026-12-25) and the workshop's New Year's Day (Friday 2027-01-01).
  const INDIA = workingCalendar([7], ["2026-12-25", "2027-01-01"]);

  it("runs a new production run past 25 December and 1 January", () => {
    const quote = quoteLeadTime({ calendar: INDIA, today: "2026-12-07", quantity: 5, available: 0, batches: [], standardLeadTimeDays: 20 });
    // 20 business days from Monday 2026-12-07 skip the Sundays and Christmas: Thursday 2026-12-31;
    // two more for dispatch skip New Year's Day and a Sunday.
    expect(quote.allocations).toEqual([{ source: ProductionSource.NEW_RUN, quantity: 5, readyDate: "2026-12-31", batchId: null, description: "new production run" }]);
    expect(quote.estimatedShipDate).toBe("2027-01-04");
    expect(quote.leadTimeBusinessDays).toBe(22);
    expect(quote.leadTimeDays).toBe(28);
    // Monday to Friday without holidays, as Facet counted before, it would ship on 2027-01-06.
    expect(quoteLeadTime({ calendar: MON_TO_FRI, today: "2026-12-07", quantity: 5, available: 0, batches: [], standardLeadTimeDays: 20 }).estimatedShipDate).toBe("2027-01-06");
  });

  it("ships stock quoted on Christmas Eve two working days later: the Saturday after Christmas, then the Monday", () => {
    const quote = quoteLeadTime({ calendar: INDIA, today: "2026-12-24", quantity: 1, available: 1, batches: [], standardLeadTimeDays: 20 });
    expect(quote.estimatedShipDate).toBe("2026-12-28");
    expect(quote.leadTimeBusinessDays).toBe(2);
    expect(quote.leadTimeDays).toBe(4);
  });

  it("dispatches a batch ready on a holiday from the next working days", () => {
    const quote = quoteLeadTime({ calendar: INDIA, today: "2026-12-21", quantity: 3, available: 0, batches: [batch("b1", "2026-12-25", 3)], standardLeadTimeDays: 20 });
    expect(quote.estimatedShipDate).toBe("2026-12-28");
    expect(quote.leadTimeBusinessDays).toBe(5);
  });
});
