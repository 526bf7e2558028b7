import DataLoader from "dataloader";
import type { LoaderFactory } from "../../graphql/context";
import { groupLoader, MAX_BATCH_SIZE, rowLoader } from "../../graphql/loaders";
import { tenantQuery } from "../../db/tenancy";
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

export interface CommentPageKey {
  briefId: string;
  /** Comments after this position in the thread (0 for the start). */
  afterSeq: string;
  /** Page size plus one, to learn whether more follow. */
  limit: number;
  includeInternal: boolean;
}

/**
 * One page of each brief's thread, for many briefs in one query: the comments are numbered per
 * brief with a window function and each brief keeps the first `limit` after its cursor.
 */
export const commentPages: LoaderFactory<CommentPageKey, DesignBriefCommentRow[]> = (ctx) =>
  new DataLoader<CommentPageKey, DesignBriefCommentRow[], string>(
    async (keys) => {
      const groups = new Map<string, CommentPageKey[]>();
      for (const key of keys) {
        const shape = `${key.afterSeq}|${key.limit}|${key.includeInternal}`;
        groups.set(shape, [...(groups.get(shape) ?? []), key]);
      }
      const byBrief = new Map<string, DesignBriefCommentRow[]>();
      for (const [shape, group] of groups) {
        const { afterSeq, limit, includeInternal } = group[0];
        const rows = await ctx.db
          .createQueryBuilder()
          .select("page.*")
          .from((sub) => {
            sub
              .select("c.*")
              .addSelect("row_number() OVER (PARTITION BY c.brief_id ORDER BY c.seq)", "position")
              .from(DesignBriefCommentRow, "c")
              .where("c.brief_id = ANY(:ids)", { ids: group.map((k) => k.briefId) })
              .andWhere("c.seq > :afterSeq", { afterSeq });
            if (!includeInternal) sub.andWhere("c.internal = false");
            return sub;
          }, "page")
          .where("page.position <= :limit", { limit })
          .orderBy("page.brief_id")
          .addOrderBy("page.seq")
          .getRawMany<Record<string, unknown>>();
        for (const raw of rows) {
          const row = ctx.db.create(DesignBriefCommentRow, {
            id: raw.id as string,
            seq: String(raw.seq),
            briefId: raw.brief_id as string,
            authorUserId: raw.author_user_id as string | null,
            authorApiClientId: raw.author_api_client_id as string | null,
            authorName: raw.author_name as string,
            authorIsStaff: raw.author_is_staff as boolean,
            body: raw.body as string,
            internal: raw.internal as boolean,
            createdAt: raw.created_at as Date,
          });
          const pageKey = `${row.briefId}|${shape}`;
          byBrief.set(pageKey, [...(byBrief.get(pageKey) ?? []), row]);
        }
      }
      return keys.map((k) => byBrief.get(`${k.briefId}|${k.afterSeq}|${k.limit}|${k.includeInternal}`) ?? []);
    },
    { maxBatchSize: MAX_BATCH_SIZE, cacheKeyFn: (k) => `${k.briefId}|${k.afterSeq}|${k.limit}|${k.includeInternal}` },
  );

export const briefById: LoaderFactory<string, DesignBrief | null> = (ctx) =>
  rowLoader((ids) => tenantQuery(ctx, DesignBrief, "b").andWhere("b.id = ANY(:ids)", { ids }).getMany(), (b) => b.id);
