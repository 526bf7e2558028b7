import { Readers } from "../../core/access";
import { registerNode } from "../../graphql/node";
import { ShipmentFeedbackFieldResolver, ShipmentFeedbackResolver } from "./feedback.resolver";
import { findFeedbackById } from "./feedback.service";
import { ShipmentFeedback } from "./feedback.entity";

// Feedback is about shipments: API clients read it with shipments:read.
registerNode(ShipmentFeedback, "ShipmentFeedback", Readers.SHIPMENTS, findFeedbackById);

export const feedbackEntities = [ShipmentFeedback];
export const feedbackResolvers = [ShipmentFeedbackResolver, ShipmentFeedbackFieldResolver] as const;

export { ShipmentFeedback };
export { ArrivalCondition, FeedbackIssue } from "./feedback.entity";
