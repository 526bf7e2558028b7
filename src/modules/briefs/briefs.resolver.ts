import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from "type-graphql";
import { Allow } from "../../graphql/access";
import { ApiScope, Readers, UserRole } from "../../core/access";
import { ConnectionArgs } from "../../graphql/connection";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { Money } from "../../graphql/money";
import { CurrencyCode } from "../../graphql/scalars";
import { Distributor, distributorById } from "../accounts";
import { stonesOf, Stone, karat } from "../catalog";
import { Order, orderById } from "../orders";
import { liveEvents, type PublishedEvent } from "../events";
import { MetalPrice } from "../pricing";
import { BadUserInputError } from "../../graphql/errors";
import {
  AcceptDesignBriefQuoteInput,
  AcceptDesignBriefQuotePayload,
  AddDesignBriefCommentInput,
  AddDesignBriefCommentPayload,
  CreateDesignBriefInput,
  CreateDesignBriefPayload,
  DeclineDesignBriefQuoteInput,
  DeclineDesignBriefQuotePayload,
  DesignBriefFilter,
  QuoteDesignBriefInput,
  QuoteDesignBriefPayload,
  RequestDesignBriefRevisionInput,
  RequestDesignBriefRevisionPayload,
  StartDesignBriefReviewInput,
  StartDesignBriefReviewPayload,
  SubmitDesignBriefInput,
  SubmitDesignBriefPayload,
  UpdateDesignBriefInput,
  UpdateDesignBriefPayload,
  WithdrawDesignBriefInput,
  WithdrawDesignBriefPayload,
  type DesignBriefActionInput,
  type DesignBriefPayload,
} from "./briefs.inputs";
import { briefById } from "./briefs.loaders";
import * as briefs from "./briefs.service";
import {
  DesignBriefComment,
  DesignBriefCommentConnection,
  DesignBriefConnection,
  DesignBriefQuote,
  DesignBriefQuoteMetalBasis,
  DesignBriefStatusChange,
  ReferenceImage,
} from "./briefs.types";
import { toGlobalId } from "../../graphql/node";
import { DesignBrief } from "./design-brief.entity";

const BRIEF_WRITERS = [UserRole.BUYER, UserRole.DISTRIBUTOR_ADMIN, ApiScope.BRIEFS_WRITE] as const;

@Resolver(() => DesignBrief)
export class DesignBriefResolver {
  @Allow(...Readers.BRIEFS)
  @Query(() => DesignBriefConnection, {
    nullable: true,
    description: "Your distributor's design briefs (staff: everyone's), most recently active first; with `filter.updatedSince`, in update order for sync.",
  })
  designBriefs(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => DesignBriefFilter, { nullable: true, description: "Narrows the list." }) filter?: DesignBriefFilter,
  ) {
    return briefs.listBriefs(ctx, args, filter);
  }

  @Allow(...Readers.BRIEFS)
  @Query(() => DesignBrief, { nullable: true, description: "One brief by id or reference (give exactly one); null when there is none you may see." })
  designBrief(
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { nullable: true, description: "Global id." }) id?: string,
    @Arg("reference", () => String, { nullable: true, description: "Reference, e.g. DB-2026-0042." }) reference?: string,
  ): Promise<DesignBrief | null> {
    return briefs.findBrief(ctx, { id, reference });
  }

  @Allow(...Readers.BRIEFS)
  @Subscription(() => DesignBrief, {
    description:
      "The design brief, read afresh, each time something happens to it: a status change, a quote, a message (internal notes are not news). Over WebSocket only (graphql-ws at /graphql); a brief you may not see is refused as an unknown one.",
    subscribe: ({ args, context }) => watchBrief(context as RequestContext, (args as { id: string }).id),
  })
  designBriefUpdated(
    @Root() event: PublishedEvent,
    @Ctx() ctx: RequestContext,
    @Arg("id", () => ID, { description: "Global id of the design brief." }) _id: string,
  ): Promise<DesignBrief> {
    return briefOfEvent(ctx, event);
  }

  @FieldResolver(() => Int, { nullable: true, description: "Gold karat (585 is 14K); null for other metals." })
  karat(@Root() brief: DesignBrief): number | null {
    return karat(brief.metal, brief.fineness);
  }

  @FieldResolver(() => [Stone], { description: "Stones wanted." })
  stones(@Root() brief: DesignBrief): Stone[] {
    return stonesOf(brief);
  }

  @FieldResolver(() => CurrencyCode, { description: "Currency of every amount on the brief: the contract currency." })
  currency(@Root() brief: DesignBrief): CurrencyCode {
    return brief.currency;
  }

  @FieldResolver(() => Money, { nullable: true, description: "The buyer's target unit price." })
  targetUnitPrice(@Root() brief: DesignBrief): Money | null {
    return briefs.targetUnitPriceOf(brief);
  }

  @FieldResolver(() => [ReferenceImage], { description: "Reference pictures and documents." })
  referenceImages(@Root() brief: DesignBrief): ReferenceImage[] {
    return briefs.referenceImagesOf(brief);
  }

  @FieldResolver(() => DesignBriefQuote, { nullable: true, description: "The exporter's current quote, if any." })
  quote(@Ctx() ctx: RequestContext, @Root() brief: DesignBrief): Promise<DesignBriefQuote | null> {
    return briefs.quoteOf(ctx, brief);
  }

  @FieldResolver(() => DesignBriefCommentConnection, { description: "The discussion, oldest first. Internal staff notes appear only for staff." })
  comments(@Ctx() ctx: RequestContext, @Root() brief: DesignBrief, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return briefs.commentsOf(ctx, brief, args);
  }

  @FieldResolver(() => [DesignBriefStatusChange], { description: "Every status change, oldest first, with who and when." })
  statusHistory(@Ctx() ctx: RequestContext, @Root() brief: DesignBrief): Promise<DesignBriefStatusChange[]> {
    return briefs.historyOf(ctx, brief);
  }

  @Allow(...Readers.ORDERS)
  @FieldResolver(() => Order, { nullable: true, description: "The order placed when the quote was accepted. API clients need `orders:read`." })
  order(@Ctx() ctx: RequestContext, @Root() brief: DesignBrief): Promise<Order | null> | null {
    return brief.orderId ? loader(ctx, orderById).load(brief.orderId) : null;
  }

  @FieldResolver(() => Distributor, { description: "The distributor that wrote it." })
  async distributor(@Ctx() ctx: RequestContext, @Root() brief: DesignBrief): Promise<Distributor> {
    return (await loader(ctx, distributorById).load(brief.distributorId))!;
  }

  @Allow(...BRIEF_WRITERS)
  @Mutation(() => CreateDesignBriefPayload, { description: "Starts a design brief for an exclusive piece, as a draft." })
  createDesignBrief(@Ctx() ctx: RequestContext, @Arg("input", () => CreateDesignBriefInput) input: CreateDesignBriefInput): Promise<DesignBriefPayload> {
    return briefs.createBrief(ctx, input);
  }

  @Allow(...BRIEF_WRITERS)
  @Mutation(() => UpdateDesignBriefPayload, { description: "Changes a draft brief. Needs the version you read." })
  updateDesignBrief(@Ctx() ctx: RequestContext, @Arg("input", () => UpdateDesignBriefInput) input: UpdateDesignBriefInput): Promise<DesignBriefPayload> {
    return briefs.updateBrief(ctx, input);
  }

  @Allow(...BRIEF_WRITERS)
  @Mutation(() => SubmitDesignBriefPayload, { description: "Sends a draft brief to the exporter: DRAFT → SUBMITTED." })
  submitDesignBrief(@Ctx() ctx: RequestContext, @Arg("input", () => SubmitDesignBriefInput) input: DesignBriefActionInput): Promise<DesignBriefPayload> {
    return briefs.submitBrief(ctx, input);
  }

  @Allow(...BRIEF_WRITERS)
  @Mutation(() => WithdrawDesignBriefPayload, { description: "Withdraws a brief at any point before acceptance." })
  withdrawDesignBrief(@Ctx() ctx: RequestContext, @Arg("input", () => WithdrawDesignBriefInput) input: DesignBriefActionInput): Promise<DesignBriefPayload> {
    return briefs.withdrawBrief(ctx, input);
  }

  @Allow(...BRIEF_WRITERS)
  @Mutation(() => AcceptDesignBriefQuotePayload, { description: "Accepts a valid quote: QUOTED → ACCEPTED, and places a pending order at the quoted price." })
  acceptDesignBriefQuote(@Ctx() ctx: RequestContext, @Arg("input", () => AcceptDesignBriefQuoteInput) input: DesignBriefActionInput): Promise<DesignBriefPayload> {
    return briefs.acceptQuote(ctx, input);
  }

  @Allow(...BRIEF_WRITERS)
  @Mutation(() => DeclineDesignBriefQuotePayload, { description: "Declines the quote: QUOTED → DECLINED. A note is also posted to the thread." })
  declineDesignBriefQuote(@Ctx() ctx: RequestContext, @Arg("input", () => DeclineDesignBriefQuoteInput) input: DesignBriefActionInput): Promise<DesignBriefPayload> {
    return briefs.declineQuote(ctx, input);
  }

  @Allow(...BRIEF_WRITERS)
  @Mutation(() => RequestDesignBriefRevisionPayload, { description: "Asks for another round after declining: DECLINED → IN_REVIEW, with a comment on what should change." })
  requestDesignBriefRevision(
    @Ctx() ctx: RequestContext,
    @Arg("input", () => RequestDesignBriefRevisionInput) input: RequestDesignBriefRevisionInput,
  ): Promise<DesignBriefPayload> {
    return briefs.requestRevision(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => StartDesignBriefReviewPayload, { description: "Takes a submitted brief into review: SUBMITTED → IN_REVIEW. Export managers only." })
  startDesignBriefReview(@Ctx() ctx: RequestContext, @Arg("input", () => StartDesignBriefReviewInput) input: DesignBriefActionInput): Promise<DesignBriefPayload> {
    return briefs.startReview(ctx, input);
  }

  @Allow(UserRole.EXPORT_MANAGER)
  @Mutation(() => QuoteDesignBriefPayload, { description: "Quotes a brief in review (or revises an open quote): → QUOTED. Export managers only." })
  quoteDesignBrief(@Ctx() ctx: RequestContext, @Arg("input", () => QuoteDesignBriefInput) input: QuoteDesignBriefInput): Promise<DesignBriefPayload> {
    return briefs.quoteBrief(ctx, input);
  }

  @Allow(...BRIEF_WRITERS, UserRole.EXPORT_MANAGER)
  @Mutation(() => AddDesignBriefCommentPayload, { description: "Posts to a brief's thread; export managers may post internal notes." })
  addDesignBriefComment(@Ctx() ctx: RequestContext, @Arg("input", () => AddDesignBriefCommentInput) input: AddDesignBriefCommentInput): Promise<AddDesignBriefCommentPayload> {
    return briefs.commentOnBrief(ctx, input);
  }
}

// The order side of the link lives here, beside the brief, so that orders need not know briefs.
@Resolver(() => Order)
export class OrderDesignBriefResolver {
  @Allow(...Readers.BRIEFS)
  @FieldResolver(() => DesignBrief, { nullable: true, description: "The design brief the order came from, if any. API clients need `briefs:read`." })
  designBrief(@Ctx() ctx: RequestContext, @Root() order: Order): Promise<DesignBrief | null> | null {
    return order.designBriefId ? loader(ctx, briefById).load(order.designBriefId) : null;
  }
}

@Resolver(() => DesignBriefComment)
export class DesignBriefCommentResolver {
  @FieldResolver(() => ID, { description: "Opaque id of the message, stable across requests." })
  id(@Root() comment: DesignBriefComment): string {
    return toGlobalId("DesignBriefComment", comment.id);
  }
}

/** The events of one brief, once the caller may see it: another distributor's is refused exactly as an unknown one. */
async function watchBrief(ctx: RequestContext, id: string): Promise<AsyncIterableIterator<PublishedEvent>> {
  const brief = await briefs.findBrief(ctx, { id });
  if (!brief) throw new BadUserInputError("id", "No design brief with this id");
  return liveEvents(ctx, { prefix: "design_brief.", subjectId: brief.id });
}

/** The brief an event is about, as the subscriber may read it now. */
async function briefOfEvent(ctx: RequestContext, event: PublishedEvent): Promise<DesignBrief> {
  const brief = event.subjectId ? await briefs.findBriefById(ctx, event.subjectId) : null;
  if (!brief) throw new BadUserInputError("id", "The design brief is no longer one you may see");
  return brief;
}

@Resolver(() => DesignBriefQuoteMetalBasis)
export class DesignBriefQuoteMetalBasisResolver {
  @FieldResolver(() => MetalPrice, { nullable: true, description: "The fix the quoted price rests on, the latest when the quote was given; null for a piece in brass or stainless steel." })
  fixUsed(@Ctx() ctx: RequestContext, @Root() basis: DesignBriefQuoteMetalBasis): Promise<MetalPrice | null> {
    return briefs.fixOf(ctx, basis.fixId);
  }

  @FieldResolver(() => MetalPrice, { nullable: true, description: "The fix a SURCHARGE quote's surcharge was measured with when it was accepted; null until then, and for a LOCKED quote." })
  fixAtAcceptance(@Ctx() ctx: RequestContext, @Root() basis: DesignBriefQuoteMetalBasis): Promise<MetalPrice | null> {
    return briefs.fixOf(ctx, basis.acceptedFixId);
  }
}
