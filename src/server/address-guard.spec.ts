import { ANONYMOUS_IN_FLIGHT, AddressGuard } from "./address-guard";

describe("AddressGuard", () => {
  it("lets an address have a few requests under way at once, each address on its own", () => {
    const guard = new AddressGuard();
    for (let i = 0; i < ANONYMOUS_IN_FLIGHT; i++) expect(guard.enter("a")).toBe(true);
    expect(guard.enter("a")).toBe(false);
    expect(guard.enter("b")).toBe(true);
    guard.leave("a");
    expect(guard.enter("a")).toBe(true);
  });

  it("refuses an address for the seconds its refusal named, then forgets it", () => {
    const guard = new AddressGuard();
    guard.refused("a", 3, 1_000);
    expect(guard.waitOf("a", 1_000)).toBe(3);
    expect(guard.waitOf("a", 3_500)).toBe(1);
    expect(guard.waitOf("a", 4_000)).toBe(0);
    expect(guard.waitOf("b", 1_000)).toBe(0);
  });

  it("keeps at most as many refused addresses as it is given, forgetting the oldest", () => {
    const guard = new AddressGuard(2);
    guard.refused("a", 10, 0);
    guard.refused("b", 10, 0);
    guard.refused("c", 10, 0);
    expect([guard.waitOf("a", 0), guard.waitOf("b", 0), guard.waitOf("c", 0)]).toEqual([0, 10, 10]);
  });
});
