import "reflect-metadata";
import { isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from "graphql";
import { ArgsType, Field, InputType, Int } from "type-graphql";
import path from "node:path";
import { Order } from "../modules/orders/order.entity";
import { OrderLineView } from "../modules/orders/orders.types";
import { ConnectionArgs } from "./connection";
import { toGlobalId } from "./node";
import { argsMaker, buildFacetSchema, isDirect } from "./schema";

// type-graphql's own conversion (not among its exports), to compare the direct calls' with.
const { convertArgsToInstance } = require(path.join(path.dirname(require.resolve("type-graphql")), "resolvers/convert-args.js")) as {
  convertArgsToInstance: (metadata: { getType: () => unknown }, args: Record<string, unknown>) => unknown;
};

@InputType()
class DayRange {
  @Field(() => Int)
  days: number;
}

@ArgsType()
class ArgsWithInput {
  @Field(() => DayRange)
  range: DayRange;
}

@ArgsType()
class ArgsWithList {
  @Field(() => [String])
  tags: string[];
}

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
    expect(isDirect(fieldOf("Shipment", "events").resolve)).toBe(true); // @Args() ConnectionArgs
    expect(isDirect(fieldOf("Distributor", "users").resolve)).toBe(true); // @Args() and a role
  });

  it("make an @Args() class of scalars as type-graphql makes it", () => {
    const make = argsMaker(ConnectionArgs)!;
    for (const args of [{ first: 3 }, { first: 3, after: "abc" }, {}, { first: null, after: undefined }]) {
      const made = make(args);
      expect(made).toBeInstanceOf(ConnectionArgs);
      expect(made).toStrictEqual(convertArgsToInstance({ getType: () => ConnectionArgs }, args));
    }
    expect(Object.keys(make({ first: 3 }) as object)).toEqual(["first"]);
  });

  it("are not made for an @Args() class with an input object or a list, nor for a class that is none", () => {
    expect(argsMaker(ArgsWithInput)).toBeUndefined();
    expect(argsMaker(ArgsWithList)).toBeUndefined();
    expect(argsMaker(class NotAnArgsType {})).toBeUndefined();
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

describe("getters", () => {
  const line = { sku: "RNG-18K-001-52", quantity: 2, unitPrice: "410.5", lineTotal: "821", description: "Ring", fromStock: 1, lineNumber: 1 };

  it("are read by the executor itself when the field is the getter", () => {
    for (const field of ["sku", "quantity", "unitPrice", "lineTotal", "madeToOrder", "description"]) expect(fieldOf("OrderLineView", field).resolve).toBeUndefined();
    const view = new OrderLineView(line as never, "EUR");
    expect([view.sku, view.madeToOrder, view.unitPrice]).toEqual(["RNG-18K-001-52", 1, { amount: "410.50", currency: "EUR" }]);
  });

  it("under another name are read directly, and a plain root still goes through type-graphql", async () => {
    const resolve = fieldOf("Order", "id").resolve!;
    expect(isDirect(resolve)).toBe(true);
    const id = "00000000-0000-4000-8000-000000000001";
    const info = {} as GraphQLResolveInfo;
    expect(await resolve(Object.assign(new Order(), { id }), {}, {}, info)).toBe(toGlobalId("Order", id));
    // type-graphql converts a plain object to the Node class, which is registered under no type name.
    await expect(async () => resolve({ id }, {}, {}, info)).rejects.toThrow(/is not registered as a Node/);
  });
});
