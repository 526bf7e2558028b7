import "reflect-metadata";
import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { Order } from "../modules/orders/order.entity";
import { buildFacetSchema, isDirect } from "./schema";

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildFacetSchema();
});

const fieldOf = (type: string, field: string) => {
  const object = schema.getType(type);
  if (!isObjectType(object)) throw new Error(`${type} is not an object type`);
  return object.getFields()[field];
};

describe("field resolvers called directly", () => {
  it("are those with only @Root(), @Ctx(), @Info() and scalar @Arg() parameters and no middleware or role", () => {
    expect(isDirect(fieldOf("Order", "total").resolve)).toBe(true);
    expect(isDirect(fieldOf("Order", "lines").resolve)).toBe(true);
    expect(isDirect(fieldOf("Product", "variants").resolve)).toBe(true);
    expect(isDirect(fieldOf("Shipment", "airwayBill").resolve)).toBe(true);
    expect(isDirect(fieldOf("Variant", "price").resolve)).toBe(true); // distributorId: ID
    // A role (@Allow) runs as middleware; an @Args() class is made by type-graphql.
    expect(isDirect(fieldOf("Order", "shipments").resolve)).toBe(false);
    expect(isDirect(fieldOf("Shipment", "events").resolve)).toBe(false);
  });

  it("answer as type-graphql does, for a root of the parameter's class and for a plain object it converts", async () => {
    const order = Object.assign(new Order(), { total: "1249.5", currency: "EUR" });
    const resolve = fieldOf("Order", "total").resolve!;
    const info = {} as GraphQLResolveInfo;
    expect(await resolve(order, {}, {}, info)).toEqual({ amount: "1249.50", currency: "EUR" });
    expect(await resolve({ total: "1249.5", currency: "EUR" }, {}, {}, info)).toEqual({ amount: "1249.50", currency: "EUR" });
  });
});
