import { LIMITS } from "./limits";
import { operationKind } from "./operation-kind";

describe("operationKind", () => {
  it("tells the kind of a document's only operation, named or not", () => {
    expect(operationKind("{ viewer { id } }", undefined)).toBe("query");
    expect(operationKind("query Me { viewer { id } }", null)).toBe("query");
    expect(operationKind("mutation { login(input: {}) { accessToken } }", undefined)).toBe("mutation");
    expect(operationKind("fragment F on Viewer { id } query { viewer { ...F } }", undefined)).toBe("query");
  });

  it("picks the operation named by operationName", () => {
    const document = "query Read { viewer { id } } mutation Write { login(input: {}) { accessToken } }";
    expect(operationKind(document, "Read")).toBe("query");
    expect(operationKind(document, "Write")).toBe("mutation");
    // Asked again, from the kept operations.
    expect(operationKind(document, "Write")).toBe("mutation");
  });

  it("cannot tell when the operation is not picked out, or the document is not GraphQL", () => {
    const two = "query Read { viewer { id } } mutation Write { login(input: {}) { accessToken } }";
    expect(operationKind(two, undefined)).toBeUndefined();
    expect(operationKind(two, "Other")).toBeUndefined();
    expect(operationKind(two, "")).toBeUndefined();
    expect(operationKind(two, 7)).toBeUndefined();
    expect(operationKind("query A { viewer { id } } query A { viewer { role } }", "A")).toBeUndefined();
    expect(operationKind("{ viewer { id }", undefined)).toBeUndefined();
    expect(operationKind("fragment F on Viewer { id }", undefined)).toBeUndefined();
    expect(operationKind(undefined, undefined)).toBeUndefined();
    expect(operationKind({ query: "{ viewer { id } }" }, undefined)).toBeUndefined();
  });

  it("leaves documents longer than Apollo takes to the primary", () => {
    expect(operationKind(`{ viewer { id } }${" ".repeat(LIMITS.maxQueryLength)}`, undefined)).toBeUndefined();
    expect(operationKind(`{ ${"a ".repeat(LIMITS.maxTokens)} }`, undefined)).toBeUndefined();
  });
});
