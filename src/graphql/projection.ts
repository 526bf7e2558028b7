import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";
import { getMetadataArgsStorage } from "typeorm";
import { projectionFrom, type Projection } from "../db/projection";

// A page of 50 orders with their lines, shipments and events reads thousands of values from
// PostgreSQL; the response shows fewer than half of them. A projection is what a response reads
// of one entity's rows, worked out from the query's selection, so that a loader selects those
// columns only. Fields are mapped to columns by a table per entity (`rowFields`): a field that is
// a column reads itself, a field listed reads what it lists, and any other field reads every
// column. Rows read with a projection throw on a property they left out (db/rows.ts), so a field
// whose list is short fails loudly in the tests instead of answering null.

/** How an entity's rows back a GraphQL object type. */
export interface RowFields {
  readonly entity: string;
  /** Properties every row needs whatever is asked: its id, the keys it is grouped and sorted by. */
  readonly always: readonly string[];
  /** Per GraphQL field that is not a column of the same name, the properties it reads. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
  readonly columns: ReadonlySet<string>;
}

export function rowFields(entity: Function, spec: { always: readonly string[]; fields?: Record<string, readonly string[]> }): RowFields {
  const columns = new Set<string>();
  for (const column of getMetadataArgsStorage().columns) {
    if (column.target === entity || (typeof column.target === "function" && entity.prototype instanceof column.target)) columns.add(column.propertyName);
  }
  const fields = spec.fields ?? {};
  for (const property of [...spec.always, ...Object.values(fields).flat()]) {
    if (!columns.has(property)) throw new Error(`rowFields(${entity.name}): ${property} is not a column`);
  }
  return { entity: entity.name, always: spec.always, fields, columns };
}

/** Where a field's objects sit in its selection: the field itself for a list, `nodes` and `edges.node` for a connection. */
export type SelectionPaths = readonly (readonly string[])[];
export const OBJECTS: SelectionPaths = [[]];
export const CONNECTION_NODES: SelectionPaths = [["nodes"], ["edges", "node"]];

type Fragments = Readonly<Record<string, FragmentDefinitionNode>>;

/** Calls `visit` with each field selected in these sets, through fragments. */
function forEachField(sets: readonly SelectionSetNode[], fragments: Fragments, visit: (field: FieldNode) => void): void {
  const walk = (set: SelectionSetNode, depth: number) => {
    if (depth > 20) return;
    for (const selection of set.selections) {
      if (selection.kind === "Field") visit(selection);
      else if (selection.kind === "InlineFragment") walk(selection.selectionSet, depth + 1);
      else {
        const fragment = fragments[selection.name.value];
        if (fragment) walk(fragment.selectionSet, depth + 1);
      }
    }
  };
  for (const set of sets) walk(set, 0);
}

/** The selection sets of the fields named `name` in these sets. */
function childSets(sets: readonly SelectionSetNode[], name: string, fragments: Fragments): SelectionSetNode[] {
  const found: SelectionSetNode[] = [];
  forEachField(sets, fragments, (field) => {
    if (field.name.value === name && field.selectionSet) found.push(field.selectionSet);
  });
  return found;
}

/** The names of the fields selected in these sets (@skip and @include are ignored: a superset is safe). */
function fieldNames(sets: readonly SelectionSetNode[], fragments: Fragments): Set<string> {
  const names = new Set<string>();
  forEachField(sets, fragments, (field) => names.add(field.name.value));
  return names;
}

/** The selection sets at `path` below these fields (through fragments). */
function setsAt(fieldNodes: readonly FieldNode[], fragments: Fragments, path: readonly string[]): SelectionSetNode[] {
  let sets = fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const step of path) sets = childSets(sets, step, fragments);
  return sets;
}

function compute(fieldNodes: readonly FieldNode[], fragments: Fragments, rows: RowFields, paths: SelectionPaths): Projection | null {
  const properties = new Set(rows.always);
  for (const path of paths) {
    for (const name of fieldNames(setsAt(fieldNodes, fragments, path), fragments)) {
      if (name === "__typename") continue;
      const listed = rows.fields[name];
      if (listed) listed.forEach((p) => properties.add(p));
      else if (rows.columns.has(name)) properties.add(name);
      else return null;
    }
  }
  return projectionFrom(properties);
}

// A document is parsed once and its field nodes are the same objects on every request that
// sends it, so what a field's selection asks is worked out once: keyed by its first node, and
// kept only while the other nodes merged with it are the same.
function perField<K, V>(
  cache: WeakMap<FieldNode, { nodes: readonly FieldNode[]; key: K; value: V }>,
  nodes: readonly FieldNode[],
  key: K,
  compute: () => V,
): V {
  const hit = cache.get(nodes[0]);
  if (hit && hit.key === key && hit.nodes.length === nodes.length && hit.nodes.every((n, i) => n === nodes[i])) return hit.value;
  const value = compute();
  cache.set(nodes[0], { nodes: [...nodes], key, value });
  return value;
}

const projections = new WeakMap<FieldNode, { nodes: readonly FieldNode[]; key: RowFields; value: Projection | null }>();

/**
 * The projection of the rows behind a field's objects (at `paths` in its selection), or null
 * when some selected field may read any column.
 */
export function projectionOf(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, rows: RowFields, paths: SelectionPaths = OBJECTS): Projection | null {
  return perField(projections, info.fieldNodes, rows, () => compute(info.fieldNodes, info.fragments, rows, paths));
}

const selected = new WeakMap<FieldNode, { nodes: readonly FieldNode[]; key: null; value: ReadonlySet<string> }>();

/**
 * The names of the fields selected on a field's objects, through fragments (@skip and @include
 * ignored: a superset), worked out once per document as projectionOf's are.
 */
export function selectedFields(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">): ReadonlySet<string> {
  return perField(selected, info.fieldNodes, null, () =>
    fieldNames(
      info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
      info.fragments,
    ),
  );
}

type Selection = Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">;
// By the child's name (names come from code, not from clients), then as projections are kept.
const childSelections = new Map<string, WeakMap<FieldNode, { nodes: readonly FieldNode[]; key: SelectionPaths; value: Selection | null }>>();

/**
 * The selection of the fields named `name` on a field's objects (at `paths`), through fragments,
 * as their own resolver's info would hold it (@skip and @include ignored: a superset); null when
 * none is selected. A list's resolver uses it to load ahead what each item's field will ask for.
 */
export function selectionOf(info: Selection, name: string, paths: SelectionPaths = OBJECTS): Selection | null {
  let cache = childSelections.get(name);
  if (!cache) childSelections.set(name, (cache = new WeakMap()));
  return perField(cache, info.fieldNodes, paths, () => {
    const found: FieldNode[] = [];
    for (const path of paths) {
      forEachField(setsAt(info.fieldNodes, info.fragments, path), info.fragments, (field) => {
        if (field.name.value === name) found.push(field);
      });
    }
    return found.length > 0 ? { fieldNodes: found, fragments: info.fragments } : null;
  });
}
