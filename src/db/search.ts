import type { RequestContext } from "../core/context";
import { tenantOf } from "../core/tenancy";
import { likePattern } from "./sql";

// Searches (`filter: { search }`) of the tables that grow with each distributor's business look
// their rows up in trigram indexes, through the functions of the IndexedSearch migration: a
// request's own statements run under row-level security, where PostgreSQL cannot use those
// indexes for ILIKE (see the migration). What the lookup cannot serve well, the list filters as
// it walks its rows in order, as before: text too short for trigrams, and text so common that
// the list finds a page of it in its first rows.

/** The most ids a lookup hands to the list; beyond that, the text is common in the caller's rows. */
export const MAX_LOOKED_UP = 1000;

/** The migration's search functions, each for one list. */
export type SearchFunction = "facet_search_orders" | "facet_search_briefs";

// pg_trgm finds text in an index by the trigrams of its words; text without three letters or
// digits in a row has none, and the index would be read whole.
const TRIGRAM = /[\p{L}\p{N}]{3}/u;

/**
 * The ids of the caller's rows that contain `text` (staff: every distributor's), looked up by
 * `search`. Or why the list must filter as it walks instead: "no trigrams" when the index cannot
 * serve the text, "common" when more than MAX_LOOKED_UP rows hold it.
 */
export async function lookUp(ctx: RequestContext, search: SearchFunction, text: string): Promise<string[] | "no trigrams" | "common"> {
  if (!TRIGRAM.test(text)) return "no trigrams";
  const rows = (await ctx.db.query(`SELECT ${search}($1, $2, $3) AS id`, [likePattern(text), tenantOf(ctx), MAX_LOOKED_UP + 1])) as { id: string }[];
  // A row can hold the text in more than one of its columns (and an order in several lines).
  return rows.length > MAX_LOOKED_UP ? "common" : [...new Set(rows.map((row) => row.id))];
}
