import { money } from "./money";

describe("money", () => {
  it("writes a stored numeric with the currency's decimal places", () => {
    expect(money("1249.5000", "EUR")).toEqual({ amount: "1249.50", currency: "EUR" });
    expect(money("107.5", "USD")).toEqual({ amount: "107.50", currency: "USD" });
    expect(money("12", "USD")).toEqual({ amount: "12.00", currency: "USD" });
    expect(money("150000.0000", "JPY")).toEqual({ amount: "150000", currency: "JPY" });
    expect(money("7.125", "KWD")).toEqual({ amount: "7.125", currency: "KWD" });
  });

  it("keeps the sign, also of an amount below one", () => {
    expect(money("-0.5000", "EUR")).toEqual({ amount: "-0.50", currency: "EUR" });
    expect(money("-1249.5", "EUR")).toEqual({ amount: "-1249.50", currency: "EUR" });
  });

  it("refuses to drop digits the currency cannot show", () => {
    expect(() => money("1.2350", "EUR")).toThrow("1.2350 has more precision than EUR allows");
    expect(() => money("150000.5", "JPY")).toThrow("more precision than JPY allows");
  });
});
