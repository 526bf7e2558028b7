import { Field, InputType, ObjectType } from "type-graphql";
import { CurrencyCode, DecimalScalar, minorUnits } from "./scalars";

@ObjectType({ description: "An exact amount of money in one currency." })
export class Money {
  @Field(() => DecimalScalar, { description: 'The amount as an exact decimal string, e.g. "1249.50", with the currency\'s decimal places.' })
  amount: string;

  @Field(() => CurrencyCode, { description: "ISO 4217 currency." })
  currency: CurrencyCode;
}

@InputType({ description: "An amount of money to set." })
export class MoneyInput {
  @Field(() => DecimalScalar, { description: 'Exact decimal string with at most the currency\'s decimal places, e.g. "1249.50" (EUR) or "150000" (JPY).' })
  amount: string;

  @Field(() => CurrencyCode, { description: "ISO 4217 currency." })
  currency: CurrencyCode;
}

/** Writes a stored numeric (e.g. "1249.5000") with exactly the currency's decimal places. */
export function money(amount: string, currency: CurrencyCode): Money {
  const digits = minorUnits(currency);
  const negative = amount.startsWith("-");
  const [whole, fraction = ""] = (negative ? amount.slice(1) : amount).split(".");
  if (/[1-9]/.test(fraction.slice(digits))) throw new Error(`${amount} has more precision than ${currency} allows`);
  const normalized = digits === 0 ? whole : `${whole}.${fraction.slice(0, digits).padEnd(digits, "0")}`;
  return { amount: `${negative ? "-" : ""}${normalized}`, currency };
}
