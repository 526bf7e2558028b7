import { Kind, parse, type OperationTypeNode } from "graphql";
import { LIMITS } from "./limits";

// Which kind of operation a GraphQL request runs, told from its body before Apollo parses it: the
// request context is built first, and it takes the request's connection, which a query may take
// from a read replica (see db/replicas.ts). Only Facet with replicas asks.
//
// Clients send the same few documents again and again, so each document's operations are kept,
// for the most recently seen CACHED documents, rather than parsed twice per request.

const CACHED = 1000;

/** Each operation of a document: its name (null when anonymous) and kind. */
type Operations = readonly (readonly [name: string | null, kind: OperationTypeNode])[];

const operationsByDocument = new Map<string, Operations>();

function operationsOf(query: string): Operations {
  let operations = operationsByDocument.get(query);
  if (operations) {
    // Maps iterate in insertion order: re-inserting keeps the least recently used first.
    operationsByDocument.delete(query);
  } else {
    try {
      operations = parse(query, { noLocation: true, maxTokens: LIMITS.maxTokens }).definitions.flatMap((d) =>
        d.kind === Kind.OPERATION_DEFINITION ? [[d.name?.value ?? null, d.operation] as const] : [],
      );
    } catch {
      // Not GraphQL, or longer than Apollo parses: it names no operation (and Apollo refuses it).
      operations = [];
    }
  }
  operationsByDocument.set(query, operations);
  if (operationsByDocument.size > CACHED) operationsByDocument.delete(operationsByDocument.keys().next().value!);
  return operations;
}

/**
 * The kind of the operation a request runs (`query`, `mutation`, `subscription`), given its
 * `query` and `operationName` as sent; undefined when that cannot be told: no document, one that
 * does not parse or is longer than LIMITS.maxQueryLength, or an operation name that picks no
 * single operation (Apollo refuses those).
 */
export function operationKind(query: unknown, operationName: unknown): OperationTypeNode | undefined {
  if (typeof query !== "string" || query.length > LIMITS.maxQueryLength) return undefined;
  const operations = operationsOf(query);
  if (operationName === undefined || operationName === null) return operations.length === 1 ? operations[0][1] : undefined;
  if (typeof operationName !== "string") return undefined;
  const named = operations.filter(([name]) => name === operationName);
  return named.length === 1 ? named[0][1] : undefined;
}
