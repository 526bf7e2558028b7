import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { Allow } from "./access";
import { SIGNED_IN } from "../core/access";
import type { RequestContext } from "../core/context";
import { BadUserInputError } from "./errors";
import { fetchNode, Node } from "./node";

export const MAX_NODE_IDS = 100;

@Resolver()
export class NodeResolver {
  @Allow(SIGNED_IN)
  @Query(() => Node, { nullable: true, description: "Refetches any object by its global id; null when it does not exist or is not visible to you." })
  node(@Ctx() ctx: RequestContext, @Arg("id", () => ID, { description: "A global id." }) id: string): Promise<Node | null> {
    return fetchNode(ctx, id);
  }

  @Allow(SIGNED_IN)
  @Query(() => [Node], { nullable: "itemsAndList", description: `Refetches up to ${MAX_NODE_IDS} objects by global id, in the order given; null for each one that does not exist or is not visible to you.` })
  nodes(@Ctx() ctx: RequestContext, @Arg("ids", () => [ID], { description: `At most ${MAX_NODE_IDS} global ids.` }) ids: string[]): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODE_IDS) throw new BadUserInputError("ids", `\`ids\` may hold at most ${MAX_NODE_IDS} ids, got ${ids.length}`);
    return Promise.all(ids.map((id) => fetchNode(ctx, id)));
  }
}
