import { parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { CONNECTION_NODES, projectionOf, rowFields, selectedFields } from "./projection";
import { covers, projectionFrom } from "../db/projection";

@Entity("projection_spec_parcels")
class Parcel {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  ownerId: string;

  @Column({ type: "varchar" })
  label: string;

  @Column({ type: "varchar" })
  note: string;

  @Column({ type: "numeric" })
  weight: string;

  @Column({ type: "varchar" })
  unit: string;

  @Column({ type: "timestamptz" })
  createdAt: Date;
}

const PARCEL_ROWS = rowFields(Parcel, { always: ["id", "ownerId"], fields: { weightText: ["weight", "unit"], owner: ["ownerId"] } });

/** The info a resolver of the operation's first root field would get. */
function infoOf(source: string): { fieldNodes: readonly FieldNode[]; fragments: Record<string, FragmentDefinitionNode> } {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === "OperationDefinition")!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === "FragmentDefinition").map((f) => [f.name.value, f]),
  );
  const root = operation.selectionSet.selections[0] as FieldNode;
  return { fieldNodes: [root], fragments };
}

const properties = (source: string, paths = CONNECTION_NODES) => projectionOf(infoOf(source), PARCEL_ROWS, paths)?.properties ?? null;

describe("projectionOf", () => {
  it("selects the columns the fields name, those their lists name, and those every row needs", () => {
    expect(properties("{ parcels { nodes { label weightText } } }")).toEqual(["id", "label", "ownerId", "unit", "weight"]);
    expect(properties("{ parcels { nodes { __typename id } } }")).toEqual(["id", "ownerId"]);
  });

  it("reads nodes and edges.node alike, through named and inline fragments", () => {
    const source = `
      query { parcels { edges { node { ...Tag } } nodes { ... on Parcel { createdAt } } pageInfo { hasNextPage } } }
      fragment Tag on Parcel { label ... on Parcel { owner { name } } }`;
    expect(properties(source)).toEqual(["createdAt", "id", "label", "ownerId"]);
  });

  it("is every column (null) as soon as one field is neither a column nor listed", () => {
    expect(properties("{ parcels { nodes { label history { at } } } }")).toBeNull();
    expect(properties("{ parcels { nodes { ...F } } } fragment F on Parcel { mystery }")).toBeNull();
  });

  it("keeps fields under @skip and @include: a superset is safe", () => {
    expect(properties("query($x: Boolean!) { parcels { nodes { note @include(if: $x) } } }")).toEqual(["id", "note", "ownerId"]);
  });

  it("reads a list's own selection by default", () => {
    expect(projectionOf(infoOf("{ parcels { note } }"), PARCEL_ROWS)?.properties).toEqual(["id", "note", "ownerId"]);
  });

  it("gives the same object for the same selection, and for the same properties", () => {
    const info = infoOf("{ parcels { nodes { label } } }");
    const first = projectionOf(info, PARCEL_ROWS, CONNECTION_NODES);
    expect(projectionOf(info, PARCEL_ROWS, CONNECTION_NODES)).toBe(first);
    expect(projectionFrom(["ownerId", "label", "id", "label"])).toBe(first);
    expect(first?.key).toBe("id,label,ownerId");
  });

  it("does not take a node's cached projection when other nodes are merged with it", () => {
    const info = infoOf("{ parcels { nodes { label } } }");
    expect(projectionOf(info, PARCEL_ROWS, CONNECTION_NODES)?.properties).toEqual(["id", "label", "ownerId"]);
    const other = infoOf("{ parcels { nodes { note } } }").fieldNodes[0];
    const merged = { fieldNodes: [info.fieldNodes[0], other], fragments: {} };
    expect(projectionOf(merged, PARCEL_ROWS, CONNECTION_NODES)?.properties).toEqual(["id", "label", "note", "ownerId"]);
  });

  it("refuses a table that names a property that is not a column", () => {
    expect(() => rowFields(Parcel, { always: ["id"], fields: { owner: ["owner"] } })).toThrow("owner is not a column");
  });
});

describe("covers", () => {
  it("holds when every needed property is selected, or every column is", () => {
    const needed = projectionFrom(["id", "weight"]);
    expect(covers(null, needed)).toBe(true);
    expect(covers(projectionFrom(["id", "weight", "unit"]), needed)).toBe(true);
    expect(covers(projectionFrom(["id", "unit"]), needed)).toBe(false);
  });
});

describe("selectedFields", () => {
  it("names the fields selected on a field's objects, through named and inline fragments, once per document", () => {
    const info = infoOf("{ parcels { label ...Weighed ... on Parcel { note price: weightText } } } fragment Weighed on Parcel { weight }");
    const names = selectedFields(info);
    expect([...names].sort()).toEqual(["label", "note", "weight", "weightText"]);
    expect(selectedFields(info)).toBe(names);
    expect(selectedFields(infoOf("{ parcels { id } }"))).toEqual(new Set(["id"]));
  });
});
