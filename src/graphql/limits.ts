import {
  BREAK,
  getNamedType,
  GraphQLError,
  isObjectType,
  isInterfaceType,
  Kind,
  type GraphQLNamedType,
  type GraphQLSchema,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  visit,
} from "graphql";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./connection";
import { ErrorCode } from "./errors";
import { MAX_NODE_IDS } from "./node.resolver";

// Bounds on what one request may ask for. Real clients stay far below them: a buyer's order
// history page (50 orders with lines, shipments and their last events) costs about 2,000 and
// nests 6 deep.
export const LIMITS = {
  maxDepth: 12,
  maxCost: 50_000,
  maxAliases: 30,
  maxDirectives: 30,
  maxTokens: 4_000,
  maxQueryLength: 20_000,
};

export interface OperationShape {
  /** Fields the operation may resolve, with every list taken at its requested (or default) size. */
  cost: number;
  depth: number;
  aliases: number;
  directives: number;
  introspection: boolean;
  /** The longest `ids` list given to a field, as to `nodes(ids:)`. */
  ids: number;
}

function intValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === "number" ? v : undefined;
  }
  return undefined;
}

function listLength(node: ValueNode | undefined, variables: Record<string, unknown>): number | undefined {
  if (!node) return undefined;
  if (node.kind === Kind.LIST) return node.values.length;
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return Array.isArray(v) ? v.length : undefined;
  }
  return undefined;
}

/**
 * Measures an operation before it runs, in the spirit of GitHub's node limit and Shopify's
 * calculated cost: each object field costs 1 (scalars are free), and a connection multiplies
 * what it selects by the page it may return (`first`, or the default), as `nodes(ids:)` does by
 * its ids.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  let aliases = 0;
  let directives = 0;
  let introspection = false;
  let ids = 0;
  const countDirectives = (n: { directives?: readonly unknown[] }) => (directives += n.directives?.length ?? 0);
  const fieldType = (parent: GraphQLNamedType | undefined, name: string): GraphQLNamedType | undefined => {
    if (!parent || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
    const field = parent.getFields()[name];
    return field ? getNamedType(field.type) : undefined;
  };

  const walk = (set: SelectionSetNode, parent: GraphQLNamedType | undefined, depth: number, seen: Set<string>): { cost: number; depth: number } => {
    let cost = 0;
    let deepest = depth;
    for (const selection of set.selections) {
      countDirectives(selection);
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases++;
        const introspecting = selection.name.value === "__schema" || selection.name.value === "__type";
        if (introspecting) introspection = true;
        const idList = selection.arguments?.find((a) => a.name.value === "ids");
        if (idList) ids = Math.max(ids, listLength(idList.value, variables) ?? 0);
        // Scalars are free (as in Shopify's calculated cost); objects and lists are not.
        if (!selection.selectionSet) continue;
        const type = fieldType(parent, selection.name.value);
        const first = selection.arguments?.find((a) => a.name.value === "first");
        const multiplier =
          first || type?.name.endsWith("Connection")
            ? Math.min(Math.max(intValue(first?.value, variables) ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE)
            : idList
              ? Math.min(listLength(idList.value, variables) ?? MAX_NODE_IDS, MAX_NODE_IDS)
              : 1;
        const child = walk(selection.selectionSet, type, depth + 1, seen);
        cost += 1 + multiplier * child.cost;
        // Introspection nests type references (ofType { ofType { … } }) deeper than any query of
        // data: the standard introspection query, which the playground sends, is 15 levels deep.
        // It reads the schema in memory, bounded by the token and length limits, so its depth
        // does not count (as graphql-armor's ignoreIntrospection).
        if (!introspecting) deepest = Math.max(deepest, child.depth);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) ?? parent : parent;
        const child = walk(selection.selectionSet, type, depth, seen);
        cost += child.cost;
        deepest = Math.max(deepest, child.depth);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // A fragment that spreads itself is invalid GraphQL; validation reports it, we only stop.
        if (!fragment || seen.has(name)) continue;
        countDirectives(fragment);
        const child = walk(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? parent, depth, new Set([...seen, name]));
        cost += child.cost;
        deepest = Math.max(deepest, child.depth);
      }
    }
    return { cost, depth: deepest };
  };

  countDirectives(operation);
  const root = operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  const { cost, depth } = walk(operation.selectionSet, root ?? undefined, 1, new Set());
  return { cost: Math.max(cost, 1), depth, aliases, directives, introspection, ids };
}

export function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 } } });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
}

/** Refuses an operation beyond the limits, naming the limit and the measured value. */
export function enforceLimits(shape: OperationShape): void {
  if (shape.depth > LIMITS.maxDepth) throw tooComplex(`The query nests ${shape.depth} levels deep; at most ${LIMITS.maxDepth} are allowed`);
  if (shape.aliases > LIMITS.maxAliases) throw tooComplex(`The query uses ${shape.aliases} aliases; at most ${LIMITS.maxAliases} are allowed`);
  if (shape.directives > LIMITS.maxDirectives) throw tooComplex(`The query uses ${shape.directives} directives; at most ${LIMITS.maxDirectives} are allowed`);
  if (shape.ids > MAX_NODE_IDS) throw badRequest(`\`ids\` may hold at most ${MAX_NODE_IDS} ids, got ${shape.ids}`);
  if (shape.cost > LIMITS.maxCost) {
    throw tooComplex(`The query may cost ${shape.cost} points; at most ${LIMITS.maxCost} are allowed. Ask for smaller pages (first) or fewer nested lists`);
  }
}

const NUL = "\u0000";

/** The path of the first string (or key) holding a NUL character, e.g. "input.comment". */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return value.includes(NUL) ? path : undefined;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes(NUL) ? path : nulPath(item, path ? `${path}.${key}` : key);
      if (found) return found;
    }
  }
  return undefined;
}

// Documents already found free of NUL characters: Apollo keeps a parsed document per query text,
// so a query sent again is the same object, and walking all of it on every request is needless.
const nulFree = new WeakSet<DocumentNode>();

/**
 * Refuses a NUL character in any string of the operation or its variables before anything runs:
 * PostgreSQL cannot store or compare one, so it would otherwise fail deep in a query as an
 * internal error. The error names the variable path where it was found.
 */
export function refuseNulCharacters(document: DocumentNode, variables: Record<string, unknown>): void {
  let found = nulPath(variables, "");
  if (found === undefined && !nulFree.has(document)) {
    visit(document, {
      StringValue(node) {
        if (node.value.includes(NUL)) {
          found = "";
          return BREAK;
        }
        return undefined;
      },
    });
  }
  if (found === undefined) {
    nulFree.add(document);
    return;
  }
  const error = badRequest(found ? `\`${found}\` may not contain the NUL character (U+0000)` : "Strings may not contain the NUL character (U+0000)");
  if (found) error.extensions.argument = found;
  throw error;
}
