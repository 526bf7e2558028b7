import { registerEnumType } from "type-graphql";

export enum BriefStatus {
  DRAFT = "DRAFT",
  SUBMITTED = "SUBMITTED",
  IN_REVIEW = "IN_REVIEW",
  QUOTED = "QUOTED",
  ACCEPTED = "ACCEPTED",
  DECLINED = "DECLINED",
  WITHDRAWN = "WITHDRAWN",
}

registerEnumType(BriefStatus, {
  name: "DesignBriefStatus",
  description: "Where a design brief stands.",
  valuesConfig: {
    DRAFT: { description: "Being written by the distributor; editable." },
    SUBMITTED: { description: "Sent to the exporter." },
    IN_REVIEW: { description: "The exporter is working out a quote." },
    QUOTED: { description: "A quote awaits the buyer's answer." },
    ACCEPTED: { description: "The buyer accepted the quote; an order was placed." },
    DECLINED: { description: "The buyer declined the quote; they may ask for another round." },
    WITHDRAWN: { description: "Withdrawn by the distributor." },
  },
});

export enum BriefAction {
  SUBMIT = "SUBMIT",
  START_REVIEW = "START_REVIEW",
  QUOTE = "QUOTE",
  ACCEPT = "ACCEPT",
  DECLINE = "DECLINE",
  REQUEST_REVISION = "REQUEST_REVISION",
  WITHDRAW = "WITHDRAW",
}

// The whole workflow in one table: action → the statuses it may start from, and where it leads.
// A staff member may quote again while a quote is open (a revised quote replaces it).
const TRANSITIONS: Record<BriefAction, { from: readonly BriefStatus[]; to: BriefStatus }> = {
  SUBMIT: { from: [BriefStatus.DRAFT], to: BriefStatus.SUBMITTED },
  START_REVIEW: { from: [BriefStatus.SUBMITTED], to: BriefStatus.IN_REVIEW },
  QUOTE: { from: [BriefStatus.IN_REVIEW, BriefStatus.QUOTED], to: BriefStatus.QUOTED },
  ACCEPT: { from: [BriefStatus.QUOTED], to: BriefStatus.ACCEPTED },
  DECLINE: { from: [BriefStatus.QUOTED], to: BriefStatus.DECLINED },
  REQUEST_REVISION: { from: [BriefStatus.DECLINED], to: BriefStatus.IN_REVIEW },
  WITHDRAW: {
    from: [BriefStatus.DRAFT, BriefStatus.SUBMITTED, BriefStatus.IN_REVIEW, BriefStatus.QUOTED, BriefStatus.DECLINED],
    to: BriefStatus.WITHDRAWN,
  },
};

/** Where `action` leads from `from`, or undefined when the workflow does not allow it. */
export function transition(from: BriefStatus, action: BriefAction): BriefStatus | undefined {
  const rule = TRANSITIONS[action];
  return rule.from.includes(from) ? rule.to : undefined;
}

export function allowedFrom(action: BriefAction): readonly BriefStatus[] {
  return TRANSITIONS[action].from;
}
