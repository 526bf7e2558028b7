import { Readers } from "../../core/access";
import { registerNode } from "../../graphql/node";
import { DesignBriefCommentResolver, DesignBriefQuoteMetalBasisResolver, DesignBriefResolver, OrderDesignBriefResolver } from "./briefs.resolver";
import { findBriefById } from "./briefs.service";
import { DesignBrief, DesignBriefCommentRow, DesignBriefQuoteRow, DesignBriefStatusChangeRow } from "./design-brief.entity";

registerNode(DesignBrief, "DesignBrief", Readers.BRIEFS, findBriefById);

export const briefsEntities = [DesignBrief, DesignBriefQuoteRow, DesignBriefCommentRow, DesignBriefStatusChangeRow];
export const briefsResolvers = [DesignBriefResolver, OrderDesignBriefResolver, DesignBriefCommentResolver, DesignBriefQuoteMetalBasisResolver] as const;

export { DesignBrief };
export { BriefStatus } from "./brief-state";
export { QuotePriceBasis } from "./quote-basis";
