import { isStaff, type RequestContext } from "../../core/context";
import { ApiClient } from "./api-client.entity";
import { User } from "./user.entity";

/** Who is acting, as histories and threads record it: a person's name or an integration's. */
export interface Actor {
  userId: string | null;
  apiClientId: string | null;
  name: string;
  staff: boolean;
}

export async function actorOf(ctx: RequestContext): Promise<Actor> {
  const p = ctx.principal;
  if (!p) throw new Error("an anonymous caller cannot act");
  if (p.kind === "user") {
    const user = await ctx.db.findOneByOrFail(User, { id: p.id });
    return { userId: user.id, apiClientId: null, name: user.name, staff: isStaff(p) };
  }
  const client = await ctx.db.findOneByOrFail(ApiClient, { id: p.id });
  return { userId: null, apiClientId: client.id, name: client.name, staff: false };
}
