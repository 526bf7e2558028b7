import { Field, ObjectType, registerEnumType } from "type-graphql";

// Why a mutation refused its input. Closed: clients switch on it, so a new reason is a schema change.
export enum UserErrorCode {
  REQUIRED = "REQUIRED",
  INVALID = "INVALID",
  TOO_SHORT = "TOO_SHORT",
  TOO_LONG = "TOO_LONG",
  OUT_OF_RANGE = "OUT_OF_RANGE",
  NOT_FOUND = "NOT_FOUND",
  TAKEN = "TAKEN",
  NOT_ALLOWED = "NOT_ALLOWED",
  INVALID_STATE = "INVALID_STATE",
  STALE_VERSION = "STALE_VERSION",
  INVALID_CREDENTIALS = "INVALID_CREDENTIALS",
  TOO_MANY_ATTEMPTS = "TOO_MANY_ATTEMPTS",
  NOT_OFFERED = "NOT_OFFERED",
  PRICE_MISSING = "PRICE_MISSING",
  IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED",
  STALE_PRICE = "STALE_PRICE",
  LIMIT_REACHED = "LIMIT_REACHED",
}

registerEnumType(UserErrorCode, {
  name: "UserErrorCode",
  description: "Why a mutation refused its input. Nothing is written when a mutation returns a user error.",
  valuesConfig: {
    REQUIRED: { description: "A required value is missing or blank." },
    INVALID: { description: "The value is malformed or fails a check (format, check digit, allowed set)." },
    TOO_SHORT: { description: "The value is shorter than allowed." },
    TOO_LONG: { description: "The value is longer than allowed." },
    OUT_OF_RANGE: { description: "The number or date is outside the allowed range." },
    NOT_FOUND: { description: "The referenced object does not exist or is not visible to you." },
    TAKEN: { description: "The value must be unique and is already in use." },
    NOT_ALLOWED: { description: "You may not perform this action on this object." },
    INVALID_STATE: { description: "The object's current state does not allow this action." },
    STALE_VERSION: { description: "The object changed since you read it; read it again and retry." },
    INVALID_CREDENTIALS: { description: "The email and password do not match an active account." },
    TOO_MANY_ATTEMPTS: { description: "Too many failed attempts; wait before trying again." },
    NOT_OFFERED: { description: "The style does not offer this (e.g. a customization)." },
    PRICE_MISSING: { description: "Your price list has no price for this item; ask the exporter for one." },
    IDEMPOTENCY_KEY_REUSED: { description: "This idempotency key was already used with a different input." },
    LIMIT_REACHED: {
      description: "As many as allowed already exist or are under way (webhook endpoints, bulk exports); remove or wait for one before adding another.",
    },
    STALE_PRICE: { description: "A price that follows a metal fix cannot be given: the latest fix is older than allowed, or none is recorded; the exporter must record a current one." },
  },
});

@ObjectType({ simpleResolvers: true, description: "An expected reason why a mutation did not do what was asked." })
export class UserError {
  @Field(() => [String], {
    nullable: true,
    description: "Path to the input field at fault, e.g. [\"input\", \"lines\", \"0\", \"quantity\"]; null when no single field is at fault.",
  })
  field: string[] | null;

  @Field(() => String, { description: "A sentence a person can read." })
  message: string;

  @Field(() => UserErrorCode, { description: "A stable code to branch on." })
  code: UserErrorCode;
}

/** Every mutation payload: the result (null on failure) beside `userErrors`. */
@ObjectType({ simpleResolvers: true, description: "Common shape of mutation payloads." })
export abstract class Payload {
  @Field(() => [UserError], { description: "Why the mutation did nothing; empty on success." })
  userErrors: UserError[] = [];
}

/** Collects user errors while validating an input, so one response reports every bad field. */
export class UserErrors {
  readonly list: UserError[] = [];

  add(field: readonly (string | number)[] | null, message: string, code: UserErrorCode = UserErrorCode.INVALID): this {
    this.list.push({ field: field ? field.map(String) : null, message, code });
    return this;
  }

  get any(): boolean {
    return this.list.length > 0;
  }
}

export function userError(field: readonly (string | number)[] | null, message: string, code: UserErrorCode): UserError[] {
  return new UserErrors().add(field, message, code).list;
}

/**
 * Thrown inside a unit of work to refuse the input after writes may have begun: the transaction
 * rolls back and the mutation answers with these user errors (see `mutate`).
 */
export class Rejected extends Error {
  constructor(readonly userErrors: UserError[]) {
    super(userErrors.map((e) => e.message).join("; "));
  }
}
