import { ProductionSource } from "./catalog.enums";
import { addBusinessDays, daysBetween, DISPATCH_BUSINESS_DAYS, quoteLeadTime, type BatchCapacity } from "./lead-time";

// 2025-01-06 is a Monday; 2025-01-10 a Friday, 2025-01-11 a Saturday, 2025-01-12 a Sunday.
const MONDAY = "2025-01-06";
const FRIDAY = "2025-01-10";
const SATURDAY = "2025-01-11";
const SUNDAY = "2025-01-12";

describe("addBusinessDays", () => {
  it("adds days within a week", () => {
    expect(addBusinessDays(MONDAY, 1)).toBe("2025-01-07");
    expect(addBusinessDays(MONDAY, 4)).toBe(FRIDAY);
  });

  it("skips the weekend", () => {
    expect(addBusinessDays("2025-01-09", 2)).toBe("2025-01-13"); // Thursday + 2 → Monday
    expect(addBusinessDays(MONDAY, 5)).toBe("2025-01-13");
    expect(addBusinessDays(MONDAY, 10)).toBe("2025-01-20");
    expect(addBusinessDays(MONDAY, 15)).toBe("2025-01-27");
  });

  it("counts from a Friday", () => {
    expect(addBusinessDays(FRIDAY, 1)).toBe("2025-01-13");
    expect(addBusinessDays(FRIDAY, 2)).toBe("2025-01-14");
    expect(addBusinessDays(FRIDAY, 5)).toBe("2025-01-17");
  });

  it("counts from a Saturday or a Sunday as if from the Friday before", () => {
    expect(addBusinessDays(SATURDAY, 1)).toBe("2025-01-13");
    expect(addBusinessDays(SATURDAY, 2)).toBe("2025-01-14");
    expect(addBusinessDays(SUNDAY, 1)).toBe("2025-01-13");
  });

  it("leaves the date alone for zero days, even on a weekend", () => {
    expect(addBusinessDays(MONDAY, 0)).toBe(MONDAY);
    expect(addBusinessDays(SATURDAY, 0)).toBe(SATURDAY);
  });

  it("crosses month and year ends", () => {
    expect(addBusinessDays("2025-12-31", 3)).toBe("2026-01-05");
    expect(addBusinessDays("2024-02-28", 1)).toBe("2024-02-29");
  });
});

describe("daysBetween", () => {
  it("counts calendar days", () => {
    expect(daysBetween(MONDAY, MONDAY)).toBe(0);
    expect(daysBetween(MONDAY, "2025-01-08")).toBe(2);
    expect(daysBetween(FRIDAY, "2025-01-14")).toBe(4);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2025-12-31", "2026-01-05")).toBe(5);
  });

  it("is negative backwards", () => {
    expect(daysBetween("2025-01-08", MONDAY)).toBe(-2);
  });
});

const batch = (id: string, readyDate: string, free: number, description = "casting run"): BatchCapacity => ({ id, readyDate, free, description });

describe("quoteLeadTime", () => {
  it("ships all from stock two business days from today", () => {
    const quote = quoteLeadTime({ today: MONDAY, quantity: 5, available: 10, batches: [batch("b1", "2025-01-15", 50)], standardLeadTimeDays: 15 });
    expect(quote).toEqual({
      quantity: 5,
      fromStock: 5,
      toProduce: 0,
      allocations: [{ source: ProductionSource.STOCK, quantity: 5, readyDate: MONDAY, batchId: null, description: "stock" }],
      estimatedShipDate: "2025-01-08",
      leadTimeDays: 2,
      basis: "5 from stock; ships 2025-01-08",
    });
  });

  it("uses exactly the stock available when it covers the quantity", () => {
    const quote = quoteLeadTime({ today: MONDAY, quantity: 10, available: 10, batches: [], standardLeadTimeDays: 15 });
    expect(quote.fromStock).toBe(10);
    expect(quote.toProduce).toBe(0);
    expect(quote.allocations.map((a) => a.source)).toEqual([ProductionSource.STOCK]);
  });

  it("counts dispatch days over the weekend from a Friday", () => {
    const quote = quoteLeadTime({ today: FRIDAY, quantity: 1, available: 1, batches: [], standardLeadTimeDays: 15 });
    expect(DISPATCH_BUSINESS_DAYS).toBe(2);
    expect(quote.estimatedShipDate).toBe("2025-01-14");
    expect(quote.leadTimeDays).toBe(4);
    expect(quote.basis).toBe("1 from stock; ships 2025-01-14");
  });

  it("takes the rest from one batch", () => {
    const quote = quoteLeadTime({ today: MONDAY, quantity: 10, available: 3, batches: [batch("b1", "2025-01-20", 20)], standardLeadTimeDays: 15 });
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
    const quote = quoteLeadTime({ today: MONDAY, quantity: 4, available: 0, batches: [batch("b1", "2025-01-15", 4), batch("b2", "2025-01-27", 10)], standardLeadTimeDays: 15 });
    expect(quote.allocations.map((a) => a.batchId)).toEqual(["b1"]);
    expect(quote.estimatedShipDate).toBe("2025-01-17");
  });

  it("skips batches without free capacity and batches ready before today", () => {
    const quote = quoteLeadTime({
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
    const quote = quoteLeadTime({ today: MONDAY, quantity: 2, available: 0, batches: [batch("b1", MONDAY, 5)], standardLeadTimeDays: 10 });
    expect(quote.allocations).toEqual([{ source: ProductionSource.BATCH, quantity: 2, readyDate: MONDAY, batchId: "b1", description: "casting run" }]);
    expect(quote.estimatedShipDate).toBe("2025-01-08");
  });

  it("puts the remainder in a new run of the standard lead time in business days", () => {
    const quote = quoteLeadTime({ today: MONDAY, quantity: 5, available: 0, batches: [], standardLeadTimeDays: 15 });
    expect(quote).toEqual({
      quantity: 5,
      fromStock: 0,
      toProduce: 5,
      allocations: [{ source: ProductionSource.NEW_RUN, quantity: 5, readyDate: "2025-01-27", batchId: null, description: "new production run" }],
      estimatedShipDate: "2025-01-29",
      leadTimeDays: 23,
      basis: "5 made to order: new production run ready 2025-01-27; ships 2025-01-29",
    });
  });

  it("combines stock, a batch and a new run, shipping after the last part", () => {
    const quote = quoteLeadTime({ today: MONDAY, quantity: 20, available: 5, batches: [batch("b1", "2025-01-15", 8)], standardLeadTimeDays: 10 });
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
    const quote = quoteLeadTime({ today: MONDAY, quantity: 1, available: 0, batches: [batch("b1", "2025-01-18", 1)], standardLeadTimeDays: 30 });
    expect(quote.estimatedShipDate).toBe("2025-01-21");
    expect(quote.leadTimeDays).toBe(15);
  });

  it("treats negative availability as none", () => {
    const quote = quoteLeadTime({ today: MONDAY, quantity: 2, available: -3, batches: [], standardLeadTimeDays: 0 });
    expect(quote.fromStock).toBe(0);
    expect(quote.allocations).toEqual([{ source: ProductionSource.NEW_RUN, quantity: 2, readyDate: MONDAY, batchId: null, description: "new production run" }]);
    expect(quote.estimatedShipDate).toBe("2025-01-08");
    expect(quote.basis).toBe("2 made to order: new production run ready 2025-01-06; ships 2025-01-08");
  });

  it("does not reorder the caller's batches", () => {
    const batches = [batch("b2", "2025-01-27", 1), batch("b1", "2025-01-15", 1)];
    quoteLeadTime({ today: MONDAY, quantity: 2, available: 0, batches, standardLeadTimeDays: 10 });
    expect(batches.map((b) => b.id)).toEqual(["b2", "b1"]);
  });
});
