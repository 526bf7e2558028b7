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
  it("are those with only @Root(), @Ctx(), @Info() and scalar @Arg() parameters and no middleware but a role", () => {
    expect(isDirect(fieldOf("Order", "total").resolve)).toBe(true);
    expect(isDirect(fieldOf("Order", "lines").resolve)).toBe(true);
    expect(isDirect(fieldOf("Product", "variants").resolve)).toBe(true);
    expect(isDirect(fieldOf("Shipment", "airwayBill").resolve)).toBe(true);
    expect(isDirect(fieldOf("Variant", "price").resolve)).toBe(true); // distributorId: ID
    expect(isDirect(fieldOf("Order", "shipments").resolve)).toBe(true); // @Allow(...Readers.SHIPMENTS)
    // An @Args() class is made by type-graphql.
    expect(isDirect(fieldOf("Shipment", "events").resolve)).toBe(false);
  });

  it("check the field's role as type-graphql does", async () => {
    const resolve = fieldOf("Order", "shipments").resolve!;
    const order = Object.assign(new Order(), { id: "00000000-0000-4000-8000-000000000000" });
    const withoutScope = { principal: { kind: "apiClient", id: "c", scopes: ["orders:read"], distributorId: "d" } };
    expect(() => resolve(order, {}, withoutScope, {} as GraphQLResolveInfo)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "FORBIDDEN" }) }));
    expect(() => resolve(order, {}, { principal: null }, {} as GraphQLResolveInfo)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: "UNAUTHENTICATED" }) }));
  });

  it("answer as type-graphql does, for a root of the parameter's class and for a plain object it converts", async () => {
    const order = Object.assign(new Order(), { total: "1249.5", currency: "EUR" });
    const resolve = fieldOf("Order", "total").resolve!;
    const info = {} as GraphQLResolveInfo;
    expect(await resolve(order, {}, {}, info)).toEqual({ amount: "1249.50", currency: "EUR" });
    expect(await resolve({ total: "1249.5", currency: "EUR" }, {}, {}, info)).toEqual({ amount: "1249.50", currency: "EUR" });
  });
});
