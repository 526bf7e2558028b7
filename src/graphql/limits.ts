import {
  BREAK,
  getNamedType,
  getNullableType,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  valueFromASTUntyped,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./connection";
import { ErrorCode } from "./errors";
import { MAX_NODE_IDS } from "./node.resolver";

// Bounds on what one request may ask for. Real clients stay far below them: a buyer's order
// history page (50 orders with lines, shipments and their last three events) costs about 4,100
// and nests 6 deep.
export const LIMITS = {
  maxDepth: 12,
  maxCost: 50_000,
  maxAliases: 30,
  maxDirectives: 30,
  maxTokens: 4_000,
  maxQueryLength: 20_000,
  /** Selections the measurement visits, each fragment once: more and the operation is refused. */
  maxSelections: 5_000,
};

export interface ListSize {
  /** The most objects the list holds (or, where nothing bounds it, the most it is assumed to hold). */
  size: number;
  /** The list holds one object per item of this argument (at most `size`). */
  perItemOf?: string;
  /** Why the list is no longer than `size`. */
  reason: string;
}

/**
 * The size of every plain list of objects in the schema, by "Type.field" ("*.field" for every
 * type's field of that name). A connection is priced by its page instead (`first`), so its
 * `nodes` and `edges` are not listed here; introspection reads the schema in memory and counts
 * each of its lists as one. A test walks the schema and fails on a list of objects missing here.
 * Where the data's own bound is far above what a page of real data holds, the size is the
 * assumed one, and the reason says so: the response-size limit bounds what is left.
 */
export const LIST_SIZES: Readonly<Record<string, ListSize>> = {
  "Query.nodes": { size: MAX_NODE_IDS, perItemOf: "ids", reason: "one object (or null) per id given; more than MAX_NODE_IDS are refused" },
  "Query.holidays": {
    size: 60,
    reason: "one per holiday in a range of at most two years (the calendar service refuses longer ones); India's gazetted holidays and the workshop's closures are about 25 a year: assumed 60",
  },
  "*.userErrors": { size: 5, reason: "one per bad field of the input, built in memory: assumed 5 (UserErrors lists every bad field, few in practice)" },
  "LoginPayload.userErrors": { size: 1, reason: "a sign-in answers one error, never saying which part was wrong" },
  "Availability.incoming": { size: 3, reason: "batches still to come for the variant (a style merges its variants'); unbounded: the data schedules at most 3 ahead, assumed 3" },
  "CommercialInvoice.lines": { size: 25, reason: "one per line shipped: at most the order's lines (see Order.lines)" },
  "CustomsDeclaration.gemstoneDisclosures": { size: 10, reason: "one per stone type, origin and treatments among the lines shipped: assumed 10" },
  "CustomsDeclaration.hsLines": { size: 10, reason: "one per HS code and country of origin among the lines shipped: a handful of chapter 71 codes, assumed 10" },
  "CustomsDeclaration.metalDeclarations": { size: 17, reason: "one per metal and fineness: the 17 pairs ALLOWED_FINENESS permits (gold 6, silver 4, platinum 3, palladium 2, brass, steel)" },
  "DesignBrief.referenceImages": { size: 20, reason: "the briefs service allows at most MAX_IMAGES (20) reference images" },
  "DesignBrief.statusHistory": { size: 20, reason: "one per status change; a brief returns to review after each declined quote: assumed 20" },
  "DesignBrief.stones": { size: 5, reason: "validStones allows MAX_STONE_LINES (20); pieces hold few (the catalog at most 3): assumed 5" },
  "DesignBriefQuote.quantityBreaks": { size: 10, reason: "the briefs service allows at most MAX_BREAKS (10) quantity breaks" },
  "ExportKpis.issueCounts": { size: 7, reason: "one per FeedbackIssue value (7)" },
  "ExportKpis.ratesUsed": { size: 10, reason: "one per currency shipped in the range other than the base currency: as ExportKpis.shippedValue, assumed 10" },
  "ExportKpis.shippedValue": { size: 10, reason: "one per currency shipped in the range, each distributor's contract currency: assumed 10 for staff's all-distributor figures" },
  "LeadTimeQuote.allocations": { size: 5, reason: "stock, then each batch with free capacity (see Availability.incoming), then a new run" },
  "Order.lines": {
    size: 25,
    reason: "the orders service allows MAX_LINES (500); the data holds at most 3: assumed 25, as 500 would price a page of 50 orders beyond a caller's budget",
  },
  "OrderPreview.lines": { size: 500, reason: "one per line of the input; the orders service refuses more than MAX_LINES (500)" },
  "OrderPreview.userErrors": { size: 500, reason: "every problem of every line of the input (at most MAX_LINES, 500): assumed one per line" },
  "OrderPreviewLine.problems": { size: 5, reason: "the problems of one line: its variant, quantity and each customization field, built in memory; assumed 5" },
  "ImportedOrderLines.lines": { size: 500, reason: "one per CSV row read; the import refuses a CSV of more than MAX_CSV_ROWS (500) rows" },
  "ImportedOrderLines.rowErrors": { size: 500, reason: "the problems of the header and of at most MAX_CSV_ROWS (500) rows: assumed one per row" },
  "Order.shipments": { size: 5, reason: "each shipment takes some ready units of a confirmed order; unbounded: the data ships an order in one or two, assumed 5" },
  "Order.statusHistory": { size: 9, reason: "one entry per status reached: statuses only move forward, and there are 9" },
  "PackingList.lines": { size: 25, reason: "one per line shipped: at most the order's lines (see Order.lines)" },
  "PackingList.packages": { size: 50, reason: "the shipments service allows at most MAX_PACKAGES (50) package sizes" },
  "WebhookDelivery.attempts": { size: 20, reason: "the latest ATTEMPTS_LISTED (20) attempts of a delivery: a retry schedule makes 10, a resend 10 more" },
  "Product.images": { size: 20, reason: "the catalog service allows at most MAX_IMAGES (20) images" },
  "Product.stones": { size: 5, reason: "validStones allows MAX_STONE_LINES (20); the catalog's styles hold at most 3: assumed 5" },
  "Product.quantityBreaks": { size: 10, reason: "one style's breaks in one price list: the catalog service allows at most MAX_QUANTITY_BREAKS (10)" },
  "SetQuantityBreaksPayload.quantityBreaks": { size: 10, reason: "the breaks just written: at most MAX_QUANTITY_BREAKS (10)" },
  "Composition.stones": { size: 5, reason: "a line's stones are its style's (or the quote's) with at most one offered stone line changed: as Product.stones, assumed 5" },
  "CustomizationOptions.platingOffers": { size: 5, reason: "checkOffers allows MAX_PLATING_OFFERS (5), one per plating type" },
  "CustomizationOptions.stoneOffers": { size: 5, reason: "checkOffers allows MAX_STONE_OFFERS (15), one per stone type; a style offers a few: assumed 5" },
  "Product.variants": { size: 6, reason: "one per size or length of the style; unbounded: the catalog holds at most 6 (a ring's sizes 48 to 58)" },
  "Shipment.documents": { size: 10, reason: "one per document kind (8) and number: assumed 10" },
  "Shipment.carriageHistory": { size: 6, reason: "one per setting or correction of the air waybill and tracking number, made only before departure: assumed 6" },
  "Shipment.feedback": { size: 5, reason: "one per person or API client of the distributor (unique per author): assumed 5" },
  "Stone.treatments": { size: 3, reason: "a set of the 12 Treatment values other than NONE; a stone discloses one or two: assumed 3" },
};

/**
 * Lists that `filter: { search }` makes expensive: a search of a distributor's whole history,
 * not a page of it (see the orders and briefs services, which run such reads a few at a time per
 * distributor). Each such list costs SEARCH_SURCHARGE points beyond its objects.
 */
export const SEARCHED_LISTS: ReadonlySet<string> = new Set(["Query.orders", "Query.designBriefs"]);
export const SEARCH_SURCHARGE = 100;

/** The size of a list that LIST_SIZES does not name (the schema test keeps every list named). */
const UNDECLARED_LIST_SIZE = MAX_PAGE_SIZE;

export interface OperationShape {
  /**
   * What the operation may resolve: each object it may return costs 1, a list multiplies what it
   * selects by its size (a connection's page, `nodes(ids:)`' ids, a plain list's LIST_SIZES
   * entry), with arguments as the operation will run them; scalars are free.
   */
  cost: number;
  depth: number;
  aliases: number;
  directives: number;
  introspection: boolean;
  /** The longest `ids` list given to a field, as to `nodes(ids:)`. */
  ids: number;
  /** Selections the measurement visited, each fragment's once; more than LIMITS.maxSelections stops it. */
  visited: number;
  /**
   * The part of `cost` that is not objects: SEARCH_SURCHARGE for each searched list. Unlike the
   * objects, it stays charged whatever the answer holds.
   */
  surcharge: number;
}

/** What a selection set adds: its cost, what its connection multiplies by the page, its depth. */
interface Measure {
  cost: number;
  /** On a connection: the cost of one item of its `nodes` and `edges`, which its page multiplies. */
  perItem: number;
  depth: number;
}

const NOTHING: Measure = { cost: 0, perItem: 0, depth: 0 };

// Every sum and product saturates, so a document that multiplies without end (a fragment bomb)
// gets a large, finite cost rather than Infinity or NaN.
const MAX_COST = Number.MAX_SAFE_INTEGER;
const add = (a: number, b: number) => Math.min(a + b, MAX_COST);
const times = (a: number, b: number) => (a === 0 || b === 0 ? 0 : Math.min(a * b, MAX_COST));

// How deep the walk goes, fields and fragments together, before it stops: far beyond maxDepth,
// and shallow enough that a chain of fragments cannot exhaust the stack.
const MAX_NESTING = 500;

const isConnection = (type: GraphQLNamedType): boolean => isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();

/**
 * Measures an operation before it runs, in the spirit of GitHub's node limit and Shopify's
 * calculated cost. Each object a field may return costs 1 and scalars are free; a connection
 * multiplies what its `nodes` or `edges` select by the page it may return, `nodes(ids:)` by its
 * ids and every other list by its size in LIST_SIZES. Arguments are taken as the operation will
 * run: literals, variables sent, the variables' defaults, and the schema's defaults.
 *
 * The walk is linear in the document: each fragment is measured once and reused wherever it is
 * spread, a fragment spread twice in one selection set counts once (as execution merges it), and
 * the walk stops after LIMITS.maxSelections selections.
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationShape {
  // A document asked again (Apollo hands the same parsed document for the same text) with the
  // same values for the variables its measurement read is not walked again: most requests of a
  // client differ only in variables the cost does not depend on (an id, a date, an air waybill).
  let ofSchema = measuredShapes.get(schema);
  if (!ofSchema) measuredShapes.set(schema, (ofSchema = new WeakMap()));
  let known = ofSchema.get(operation);
  if (!known) ofSchema.set(operation, (known = []));
  for (const entry of known) if (entry.key === keyOf(entry.reads, variables)) return entry.shape;
  const reads = new Set<string>();
  const shape = walkOperation(schema, document, operation, variables, reads);
  known.unshift({ reads: [...reads], key: keyOf([...reads], variables), shape });
  if (known.length > MEASURES_KEPT) known.pop();
  return shape;
}

/** Measurements kept per operation, by the values of the variables each read. */
const MEASURES_KEPT = 8;
const measuredShapes = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, { reads: string[]; key: string; shape: OperationShape }[]>>();
const keyOf = (names: readonly string[], variables: Record<string, unknown>) => JSON.stringify(names.map((name) => (Object.hasOwn(variables, name) ? variables[name] : null)));

function walkOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  reads: Set<string>,
): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  // The values the operation runs with: the variables' defaults (in an object without a
  // prototype, so that no variable's name can reach one), overlaid by those sent; every name the
  // walk looks up is noted in `reads`, which keys the measurement (see measureOperation).
  const defaults: Record<string, unknown> = Object.create(null);
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
  }
  const sent = (name: string | symbol): name is string => typeof name === "string" && (reads.add(name), Object.hasOwn(variables, name));
  const values = new Proxy(defaults, {
    get: (target, name) => (sent(name) ? variables[name] : typeof name === "string" ? target[name] : undefined),
    has: (target, name) => sent(name) || (typeof name === "string" && name in target),
    getOwnPropertyDescriptor: (target, name) =>
      sent(name) ? { value: variables[name], writable: true, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(target, name),
  });

  let aliases = 0;
  let directives = 0;
  let introspection = false;
  let ids = 0;
  let visited = 0;
  let surcharge = 0;
  let nesting = 0;
  let deepest = 0;
  const measured = new Map<string, Measure | "measuring">();

  const argument = (field: GraphQLField<unknown, unknown>, node: FieldNode, name: string): unknown => {
    const given = node.arguments?.find((a) => a.name.value === name);
    const declared = field.args.find((a) => a.name === name)?.defaultValue;
    if (!given) return declared;
    // A variable neither sent nor defaulted leaves the argument unset: the schema's default holds.
    if (given.value.kind === Kind.VARIABLE && !Object.hasOwn(values, given.value.name.value)) return declared;
    return valueFromASTUntyped(given.value, values);
  };
  // A list with a search that is not blank, as the services take it.
  const searched = (parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>, node: FieldNode): boolean => {
    if (!SEARCHED_LISTS.has(`${parent.name}.${field.name}`)) return false;
    const search = (argument(field, node, "filter") as { search?: unknown } | null | undefined)?.search;
    return typeof search === "string" && search.trim() !== "";
  };
  const lengthOf = (value: unknown): number | undefined => (Array.isArray(value) ? value.length : value == null ? undefined : 1);
  // The page a connection may return: `first` (or `last`), 1 to MAX_PAGE_SIZE; null or unset is
  // the default page, as pageSize() takes it.
  const pageOf = (field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    const sizes = ["first", "last"].map((name) => argument(field, node, name)).filter((v): v is number => typeof v === "number");
    return sizes.length ? Math.min(Math.max(Math.ceil(Math.max(...sizes)), 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  };
  const listSize = (parent: GraphQLNamedType, field: GraphQLField<unknown, unknown>, node: FieldNode): number => {
    // Introspection reads the schema in memory; each of its lists counts as one.
    if (parent.name.startsWith("__")) return 1;
    const declared = LIST_SIZES[`${parent.name}.${field.name}`] ?? LIST_SIZES[`*.${field.name}`];
    if (!declared) return UNDECLARED_LIST_SIZE;
    if (!declared.perItemOf) return declared.size;
    return Math.min(lengthOf(argument(field, node, declared.perItemOf)) ?? declared.size, declared.size);
  };
  // `@skip(if: true)` and `@include(if: false)` leave a selection out, as execution does.
  const skipped = (list: readonly DirectiveNode[] | undefined): boolean =>
    (list ?? []).some((d) => {
      const condition = d.arguments?.find((a) => a.name.value === "if");
      const value = condition ? valueFromASTUntyped(condition.value, values) : undefined;
      return (d.name.value === "skip" && value === true) || (d.name.value === "include" && value === false);
    });
  const fieldOf = (parent: GraphQLNamedType, node: FieldNode): GraphQLField<unknown, unknown> | undefined => {
    const name = node.name.value;
    if (parent === schema.getQueryType() && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (parent === schema.getQueryType() && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
  };

  const measureFragment = (name: string): Measure => {
    const known = measured.get(name);
    // A fragment that spreads itself is invalid GraphQL; validation reports it, we only stop.
    if (known === "measuring") return NOTHING;
    if (known) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    if (!fragment || !type) return NOTHING;
    measured.set(name, "measuring");
    directives += fragment.directives?.length ?? 0;
    const measure = walk(fragment.selectionSet, type, new Set());
    measured.set(name, measure);
    return measure;
  };

  // `spread` holds the fragments already spread in this selection set (and the inline fragments
  // within it): execution collects each once. On an interface or union, what is selected on one
  // object type (`... on Order`) applies only to objects of that type: those branches exclude
  // each other, and the dearest of them counts.
  const walk = (set: SelectionSetNode, parent: GraphQLNamedType, spread: Set<string>): Measure => {
    deepest = Math.max(deepest, ++nesting);
    try {
      return walkSet(set, parent, spread);
    } finally {
      nesting--;
    }
  };
  const walkSet = (set: SelectionSetNode, parent: GraphQLNamedType, spread: Set<string>): Measure => {
    if (nesting > MAX_NESTING) return NOTHING;
    let cost = 0;
    let perItem = 0;
    let depth = 1;
    const branches = new Map<string, Measure>();
    const isBranch = (condition: GraphQLNamedType | undefined): condition is GraphQLNamedType => Boolean(condition && isAbstractType(parent) && isObjectType(condition));
    for (const selection of set.selections) {
      if (++visited > LIMITS.maxSelections) break;
      directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        const field = fieldOf(parent, selection);
        if (selection.alias) aliases++;
        if (!field) continue;
        const introspecting = field === SchemaMetaFieldDef || field === TypeMetaFieldDef;
        if (introspecting) introspection = true;
        if (field.args.some((a) => a.name === "ids")) ids = Math.max(ids, lengthOf(argument(field, selection, "ids")) ?? 0);
        if (skipped(selection.directives)) continue;
        const type = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(type)) continue;
        const child = walk(selection.selectionSet, type, new Set());
        // Introspection nests type references (ofType { ofType { … } }) deeper than any query of
        // data: the standard introspection query, which the playground sends, is 15 levels deep.
        // It reads the schema in memory, bounded by the token and length limits, so its depth
        // does not count (as graphql-armor's ignoreIntrospection).
        if (!introspecting) depth = Math.max(depth, child.depth + 1);
        if (isConnection(type)) {
          cost = add(cost, add(add(1, child.cost), times(pageOf(field, selection), child.perItem)));
          if (searched(parent, field, selection)) {
            cost = add(cost, SEARCH_SURCHARGE);
            surcharge = add(surcharge, SEARCH_SURCHARGE);
          }
        } else if (isConnection(parent) && (field.name === "nodes" || field.name === "edges")) {
          perItem = add(perItem, add(1, child.cost));
        } else {
          const size = isListType(getNullableType(field.type)) ? listSize(parent, field, selection) : 1;
          cost = add(cost, times(size, add(1, child.cost)));
        }
      } else if (!skipped(selection.directives)) {
        let child: Measure;
        let condition: GraphQLNamedType | undefined;
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : undefined;
          // A branch collects, for its objects, the fragments the others left out too.
          child = walk(selection.selectionSet, condition ?? parent, isBranch(condition) ? new Set(spread) : spread);
        } else {
          const name = selection.name.value;
          if (spread.has(name)) continue;
          spread.add(name);
          const fragment = fragments.get(name);
          condition = fragment ? schema.getType(fragment.typeCondition.name.value) : undefined;
          child = measureFragment(name);
        }
        depth = Math.max(depth, child.depth);
        if (isBranch(condition)) {
          const branch = branches.get(condition.name);
          branches.set(condition.name, branch ? { cost: add(branch.cost, child.cost), perItem: add(branch.perItem, child.perItem), depth: 0 } : child);
        } else {
          cost = add(cost, child.cost);
          perItem = add(perItem, child.perItem);
        }
      }
    }
    let dearest = 0;
    let dearestItem = 0;
    for (const branch of branches.values()) {
      dearest = Math.max(dearest, branch.cost);
      dearestItem = Math.max(dearestItem, branch.perItem);
    }
    return { cost: add(cost, dearest), perItem: add(perItem, dearestItem), depth };
  };

  directives += operation.directives?.length ?? 0;
  const root = operation.operation === "mutation" ? schema.getMutationType() : operation.operation === "subscription" ? schema.getSubscriptionType() : schema.getQueryType();
  const measure = root ? walk(operation.selectionSet, root, new Set()) : NOTHING;
  const { cost } = measure;
  // A walk stopped at MAX_NESTING reports at least that depth, which the depth limit refuses.
  const depth = deepest > MAX_NESTING ? deepest : measure.depth;
  return { cost: Math.max(cost, 1), depth, aliases, directives, introspection, ids, visited: Math.min(visited, LIMITS.maxSelections + 1), surcharge };
}

/** Where an operation's answer may hold objects: each response key, and what it selects. */
type AnswerShape = Map<string, AnswerShape | null>;

/** The same, as the count reads it: only the keys that hold objects, in arrays. */
interface ObjectKeys {
  keys: string[];
  children: ObjectKeys[];
}

const answerShapes = new WeakMap<OperationDefinitionNode, ObjectKeys>();

function objectKeysOf(shape: AnswerShape, done = new Map<AnswerShape, ObjectKeys>()): ObjectKeys {
  let compact = done.get(shape);
  if (compact) return compact;
  done.set(shape, (compact = { keys: [], children: [] }));
  for (const [key, child] of shape) {
    if (child === null) continue;
    compact.keys.push(key);
    compact.children.push(objectKeysOf(child, done));
  }
  return compact;
}

function mergeInto(into: AnswerShape, from: AnswerShape): void {
  for (const [key, child] of from) {
    const mine = into.get(key);
    if (mine === undefined || mine === null) into.set(key, child);
    else if (child !== null && child !== mine) mergeInto(mine, child);
  }
}

/** The response keys of an operation's answer, through its fragments (each fragment's built once). */
function answerShapeOf(document: DocumentNode, operation: OperationDefinitionNode): ObjectKeys {
  const known = answerShapes.get(operation);
  if (known) return known;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const built = new Map<string, AnswerShape>();
  const build = (set: SelectionSetNode, into: AnswerShape, spreading: Set<string>): AnswerShape => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? build(selection.selectionSet, new Map(), spreading) : null;
        mergeInto(into, new Map([[selection.alias?.value ?? selection.name.value, child]]));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        build(selection.selectionSet, into, spreading);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || spreading.has(name)) continue;
        let own = built.get(name);
        if (!own) built.set(name, (own = build(fragment.selectionSet, new Map(), new Set([...spreading, name]))));
        mergeInto(into, own);
      }
    }
    return into;
  };
  const shape = objectKeysOf(build(operation.selectionSet, new Map(), new Set()));
  answerShapes.set(operation, shape);
  return shape;
}

function countObjects(value: unknown, shape: ObjectKeys): number {
  if (value === null || typeof value !== "object") return 0;
  if (Array.isArray(value)) {
    let n = 0;
    for (let i = 0; i < value.length; i++) n += countObjects(value[i], shape);
    return n;
  }
  let n = 1;
  for (let i = 0; i < shape.keys.length; i++) n += countObjects((value as Record<string, unknown>)[shape.keys[i]], shape.children[i]);
  return n;
}

/**
 * The objects an operation's answer holds (its data object aside): what it really cost, at a
 * point an object. The answer is read through the operation's response keys, not by listing each
 * object's own keys, which for graphql-jit's objects (without a prototype) allocates for every one.
 */
export function objectsInAnswer(document: DocumentNode, operation: OperationDefinitionNode, data: unknown): number {
  return Math.max(countObjects(data, answerShapeOf(document, operation)) - 1, 0);
}

export function tooComplex(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, http: { status: 400 } } });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });
}

/** Refuses an operation beyond the limits, naming the limit and the measured value. */
export function enforceLimits(shape: OperationShape): void {
  // First: beyond this many selections the walk stopped, and the other figures are partial.
  if (shape.visited > LIMITS.maxSelections) {
    throw tooComplex(`The query has more than ${LIMITS.maxSelections} selections (each fragment counted once); at most ${LIMITS.maxSelections} are allowed`);
  }
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
