import type { LoaderFactory } from "../../db/loaders";
import { childPageLoader, groupLoader, rowLoader, type ChildOrderKey, type PageKey } from "../../db/loaders";
import { tenantQuery } from "../../db/tenancy";
import { MetalPrice } from "../pricing";
import { DesignBrief, DesignBriefCommentRow, DesignBriefQuoteRow, DesignBriefStatusChangeRow } from "./design-brief.entity";

// Quotes, comments and history are reached only through a brief the caller may see.

/** The current quote of each brief: its latest. */
export const latestQuoteByBrief: LoaderFactory<string, DesignBriefQuoteRow | null> = (ctx) =>
  rowLoader(
    (ids) =>
      ctx.db
        .createQueryBuilder(DesignBriefQuoteRow, "q")
        .distinctOn(["q.briefId"])
        .where("q.briefId = ANY(:ids)", { ids })
        .orderBy("q.briefId")
        .addOrderBy("q.seq", "DESC")
        .getMany(),
    (q) => q.briefId,
  );

export const historyByBrief: LoaderFactory<string, DesignBriefStatusChangeRow[]> = (ctx) =>
  groupLoader(
    (ids) => ctx.db.createQueryBuilder(DesignBriefStatusChangeRow, "h").where("h.briefId = ANY(:ids)", { ids }).orderBy("h.seq").getMany(),
    (h) => h.briefId,
  );

// Thread pages for many briefs in one query, in recording order; distributors' pages leave
// internal notes out.
const THREAD_KEYS: ChildOrderKey[] = [{ column: "seq", type: "bigint" }];
export const commentPagesWithNotes: LoaderFactory<PageKey, DesignBriefCommentRow[]> = (ctx) =>
  childPageLoader(ctx.db, DesignBriefCommentRow, null, { table: "design_brief_comments", parentColumn: "brief_id", parentKey: (c) => c.briefId, order: THREAD_KEYS, direction: "ASC" });

export const commentPagesWithoutNotes: LoaderFactory<PageKey, DesignBriefCommentRow[]> = (ctx) =>
  childPageLoader(ctx.db, DesignBriefCommentRow, null, {
    table: "design_brief_comments",
    parentColumn: "brief_id",
    parentKey: (c) => c.briefId,
    order: THREAD_KEYS,
    direction: "ASC",
    scope: "t.internal = false",
  });

export const briefById: LoaderFactory<string, DesignBrief | null> = (ctx) =>
  rowLoader((ids) => tenantQuery(ctx, DesignBrief, "b").andWhere("b.id = ANY(:ids)", { ids }).getMany(), (b) => b.id);

/** Fixes named by quotes: shared reference data, read by whoever reads the quote. */
export const metalPriceById: LoaderFactory<string, MetalPrice | null> = (ctx) =>
  rowLoader((ids) => ctx.db.createQueryBuilder(MetalPrice, "m").where("m.id = ANY(:ids)", { ids }).getMany(), (m) => m.id);
