import type { LoaderFactory } from "../../db/loaders";
import { rowLoader } from "../../db/loaders";
import { rowsOf } from "../../db/rows";
import { tenantQuery } from "../../db/tenancy";
import { ApiClient } from "./api-client.entity";
import { Distributor } from "./distributor.entity";
import { User } from "./user.entity";

export const distributorById: LoaderFactory<string, Distributor | null> = (ctx) =>
  rowLoader(
    (ids) => rowsOf(ctx.db, Distributor, tenantQuery(ctx, Distributor, "d", "id").andWhere("d.id = ANY(:ids)", { ids })),
    (d) => d.id,
  );

export const userById: LoaderFactory<string, User | null> = (ctx) =>
  rowLoader(
    (ids) => rowsOf(ctx.db, User, tenantQuery(ctx, User, "u").andWhere("u.id = ANY(:ids)", { ids })),
    (u) => u.id,
  );

export const apiClientById: LoaderFactory<string, ApiClient | null> = (ctx) =>
  rowLoader(
    (ids) => rowsOf(ctx.db, ApiClient, tenantQuery(ctx, ApiClient, "c").andWhere("c.id = ANY(:ids)", { ids })),
    (c) => c.id,
  );
