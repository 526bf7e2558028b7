import { Field, ID, InterfaceType } from "type-graphql";
import { permits, type AccessRule } from "../core/access";
import type { RequestContext } from "../core/context";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type NodeClass = abstract new (...args: any[]) => Node;
interface NodeSource {
  typeName: string;
  /** Who may refetch it: the same rule as the type's own root queries. */
  readers: readonly AccessRule[];
  /** Fetch one object by its database id, as the caller may see it: null when missing or foreign. */
  fetch(ctx: RequestContext, id: string): Promise<Node | null>;
}

const typeNameByClass = new Map<Function, string>();
const sourceByTypeName = new Map<string, NodeSource>();

/**
 * Makes a type refetchable through `node(id:)`. `node` is open to every signed-in caller, so the
 * type names who may read it (its root queries' rule) and `fetch` applies the tenancy rules; a
 * caller outside `readers` finds nothing, exactly as for an id that does not exist.
 */
export function registerNode<T extends Node>(
  cls: abstract new (...args: any[]) => T,
  typeName: string,
  readers: readonly AccessRule[],
  fetch: (ctx: RequestContext, id: string) => Promise<T | null>,
): void {
  if (readers.length === 0) throw new Error(`registerNode(${typeName}) needs at least one reader rule`);
  typeNameByClass.set(cls, typeName);
  sourceByTypeName.set(typeName, { typeName, readers, fetch });
}

/** Who may refetch a registered type through `node(id:)`. */
export function nodeReaders(typeName: string): readonly AccessRule[] | undefined {
  return sourceByTypeName.get(typeName)?.readers;
}

export function registeredNodeTypes(): string[] {
  return [...sourceByTypeName.keys()];
}

// Global ids are opaque to clients: base64url of "Type:uuid". They are decoded strictly, and
// anything that does not decode to a registered type and a uuid reads as a missing object.
export function toGlobalId(typeName: string, id: string): string {
  return Buffer.from(`${typeName}:${id}`, "utf8").toString("base64url");
}

export function fromGlobalId(globalId: string): { typeName: string; id: string } | null {
  if (typeof globalId !== "string" || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, "base64url").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 1) return null;
  const typeName = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1);
  if (!sourceByTypeName.has(typeName) || !UUID.test(id)) return null;
  return { typeName, id };
}

/** The database id behind a global id of the expected type, or null (missing, malformed, other type). */
export function idOfType(globalId: string, typeName: string): string | null {
  const decoded = fromGlobalId(globalId);
  return decoded && decoded.typeName === typeName ? decoded.id : null;
}

export async function fetchNode(ctx: RequestContext, globalId: string): Promise<Node | null> {
  const decoded = fromGlobalId(globalId);
  if (!decoded) return null;
  const source = sourceByTypeName.get(decoded.typeName)!;
  return permits(ctx, source.readers) ? source.fetch(ctx, decoded.id) : null;
}

@InterfaceType({ description: "An object with a global id that `node(id:)` can refetch." })
export abstract class Node {
  /** The row's database id; the API shows it only as the opaque global id. */
  abstract id: string;

  @Field(() => ID, { name: "id", description: "Opaque global id. Pass it to `node(id:)` to refetch the object." })
  get globalId(): string {
    const typeName = typeNameByClass.get(this.constructor);
    if (!typeName) throw new Error(`${this.constructor.name} is not registered as a Node`);
    return toGlobalId(typeName, this.id);
  }
}

export type { NodeClass };
