import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from "type-graphql";
import { Allow } from "../../graphql/access";
import { ApiScope, Readers, Roles, UserRole } from "../../core/access";
import { ConnectionArgs } from "../../graphql/connection";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { LocalDateScalar } from "../../graphql/scalars";
import { Shipment, shipmentById } from "../shipments";
import {
  ExportKpis,
  RespondToFeedbackInput,
  RespondToFeedbackPayload,
  ShipmentFeedbackConnection,
  ShipmentFeedbackFilter,
  SubmitShipmentFeedbackInput,
  SubmitShipmentFeedbackPayload,
  UpdateShipmentFeedbackInput,
  UpdateShipmentFeedbackPayload,
} from "./feedback.inputs";
import * as feedback from "./feedback.service";
import { ShipmentFeedback } from "./feedback.entity";
import { exportKpis } from "./kpis.service";

const FEEDBACK_WRITERS = [UserRole.BUYER, UserRole.DISTRIBUTOR_ADMIN, ApiScope.FEEDBACK_WRITE] as const;

@Resolver(() => ShipmentFeedback)
export class ShipmentFeedbackResolver {
  @Allow(...Readers.SHIPMENTS)
  @Query(() => ShipmentFeedbackConnection, { nullable: true, description: "Feedback on your distributor's shipments (staff: everyone's), newest first." })
  shipmentFeedback(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => ShipmentFeedbackFilter, { nullable: true, description: "Narrows the list." }) filter?: ShipmentFeedbackFilter,
  ) {
    return feedback.listFeedback(ctx, args, filter);
  }

  // A client that may only report (feedback:write) reads its report back, but not the shipment.
  @Allow(...Readers.SHIPMENTS)
  @FieldResolver(() => Shipment, {
    nullable: true,
    description: "The shipment reported on. API clients need `shipments:read`: without it this is null, with a FORBIDDEN error.",
  })
  async shipment(@Ctx() ctx: RequestContext, @Root() report: ShipmentFeedback): Promise<Shipment> {
    return (await loader(ctx, shipmentById).load(report.shipmentId))!;
  }

  @FieldResolver(() => Boolean, { description: "True while the author may still edit it (14 days from submission)." })
  editable(@Root() report: ShipmentFeedback): boolean {
    return Date.now() - report.createdAt.getTime() <= feedback.EDIT_WINDOW_DAYS * 86_400_000;
  }

  @Allow(...FEEDBACK_WRITERS)
  @Mutation(() => SubmitShipmentFeedbackPayload, { description: "Reports how a delivered shipment arrived; once per person per shipment." })
  submitShipmentFeedback(@Ctx() ctx: RequestContext, @Arg("input", () => SubmitShipmentFeedbackInput) input: SubmitShipmentFeedbackInput) {
    return feedback.submitFeedback(ctx, input);
  }

  @Allow(...FEEDBACK_WRITERS)
  @Mutation(() => UpdateShipmentFeedbackPayload, { description: "Edits your report, within 14 days of submitting it." })
  updateShipmentFeedback(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateShipmentFeedbackInput) input: UpdateShipmentFeedbackInput) {
    return feedback.updateFeedback(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => RespondToFeedbackPayload, { description: "Answers a report; the buyer sees the response. Export managers only." })
  respondToFeedback(@Ctx() ctx: RequestContext, @Arg("input", () => RespondToFeedbackInput) input: RespondToFeedbackInput) {
    return feedback.respondToFeedback(ctx, input);
  }

  @Allow(...Roles.STAFF, UserRole.DISTRIBUTOR_ADMIN)
  @Query(() => ExportKpis, { nullable: true, description: "Export KPIs over a range of UTC days. Staff: all distributors or one; a distributor admin: its own company." })
  exportKpis(
    @Ctx() ctx: RequestContext,
    @Arg("from", () => LocalDateScalar, { description: "First day, inclusive." }) from: string,
    @Arg("to", () => LocalDateScalar, { description: "Last day, inclusive." }) to: string,
    @Arg("distributorId", () => ID, { nullable: true, description: "One distributor's figures; all distributors' when omitted (staff). A distributor admin may name only its own." }) distributorId?: string,
  ): Promise<ExportKpis> {
    return exportKpis(ctx, from, to, distributorId);
  }
}

// The shipment side of the link lives here, so that shipments need not know feedback.
@Resolver(() => Shipment)
export class ShipmentFeedbackFieldResolver {
  @FieldResolver(() => [ShipmentFeedback], { description: "How the shipment arrived, as reported by the distributor's people, with the exporter's responses." })
  feedback(@Ctx() ctx: RequestContext, @Root() shipment: Shipment): Promise<ShipmentFeedback[]> {
    return feedback.feedbackOf(ctx, shipment);
  }
}
