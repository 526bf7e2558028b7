import { permits } from "../../graphql/access";
import { registerNode } from "../../graphql/node";
import { BRIEF_READERS, DesignBriefResolver, OrderDesignBriefResolver } from "./briefs.resolver";
import { findBriefById } from "./briefs.service";
import { DesignBrief, DesignBriefCommentRow, DesignBriefQuoteRow, DesignBriefStatusChangeRow } from "./design-brief.entity";

// node(id:) is open to every signed-in caller, so it applies the briefs' own rule: an API
// client without briefs:read finds no brief there either.
registerNode(DesignBrief, "DesignBrief", async (ctx, id) => (permits(ctx, BRIEF_READERS) ? findBriefById(ctx, id) : null));

export const briefsEntities = [DesignBrief, DesignBriefQuoteRow, DesignBriefCommentRow, DesignBriefStatusChangeRow];
export const briefsResolvers = [DesignBriefResolver, OrderDesignBriefResolver] as const;

export { DesignBrief };
export { BriefStatus } from "./brief-state";
