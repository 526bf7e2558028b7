import type { EntityManager } from "typeorm";
import { User } from "../modules/accounts";
import { ArrivalCondition, FeedbackIssue, ShipmentFeedback } from "../modules/feedback";
import { Shipment, ShipmentStatus } from "../modules/shipments";

// Feedback on most delivered demo shipments, some with problems, most answered by the manager.
const REPORTS: [number, ArrivalCondition, FeedbackIssue[], string, string | null][] = [
  [5, ArrivalCondition.PRISTINE, [], "Perfect, thank you. The new boxes look great.", "Thank you! We will keep the new packaging."],
  [3, ArrivalCondition.MINOR_ISSUES, [FeedbackIssue.LATE, FeedbackIssue.DOCUMENTATION_ERROR], "A day late and the packing list showed the wrong PO.", "Sorry for the delay; the packing list template is fixed."],
  [2, ArrivalCondition.DAMAGED, [FeedbackIssue.DAMAGED_PACKAGING, FeedbackIssue.DAMAGED_ITEM], "Outer carton crushed, one piece bent.", null],
  [4, ArrivalCondition.MINOR_ISSUES, [FeedbackIssue.WRONG_SPECIFICATION], "One ring engraved in the wrong font.", "We will remake it free of charge with the next order."],
];

export async function seedFeedback(db: EntityManager): Promise<number> {
  const manager = await db.findOneByOrFail(User, { email: "manager@facet.example" });
  const delivered = await db.find(Shipment, { where: { status: ShipmentStatus.DELIVERED }, order: { deliveredAt: "ASC" } });
  let n = 0;
  for (const shipment of delivered) {
    const buyer = await db.findOneBy(User, { distributorId: shipment.distributorId, role: "BUYER" as User["role"] });
    if (!buyer || n % 5 === 4) {
      n++;
      continue;
    }
    // A shipment delivered after the ETA promised at handover gets the report that says so; the
    // others one that does not.
    const late = shipment.promisedDeliveryAt !== null && shipment.deliveredAt! > shipment.promisedDeliveryAt;
    const fitting = REPORTS.filter(([, , issues]) => issues.includes(FeedbackIssue.LATE) === late);
    const [rating, condition, issues, comment, response] = fitting[n % fitting.length];
    const at = new Date(shipment.deliveredAt!.getTime() + 2 * 86_400_000);
    await db.insert(ShipmentFeedback, {
      shipmentId: shipment.id,
      distributorId: shipment.distributorId,
      authorUserId: buyer.id,
      authorName: buyer.name,
      rating,
      condition,
      issues,
      affectedLineNumbers: issues.some((i) => i === FeedbackIssue.DAMAGED_ITEM || i === FeedbackIssue.WRONG_SPECIFICATION) ? [1] : [],
      comment,
      response,
      respondedByUserId: response ? manager.id : null,
      respondedByName: response ? manager.name : null,
      respondedAt: response ? new Date(at.getTime() + 86_400_000) : null,
      createdAt: at,
      updatedAt: response ? new Date(at.getTime() + 86_400_000) : at,
    });
    n++;
  }
  return n;
}
