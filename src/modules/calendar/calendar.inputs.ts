import { Field, InputType, ObjectType } from "type-graphql";
import { LocalDateScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import { Holiday } from "./holiday.entity";

@InputType({ description: "A day the workshop will be closed." })
export class AddHolidayInput {
  @Field(() => LocalDateScalar, { description: "The day: from the exporter's today to two years ahead, and not already a holiday." })
  date: string;

  @Field(() => String, { description: "What it is, 1 to 100 characters, e.g. `Diwali: workshop closed`." })
  name: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `addHoliday`." })
export class AddHolidayPayload extends Payload {
  @Field(() => Holiday, { nullable: true, description: "The holiday added." })
  holiday?: Holiday | null;
}

@InputType({ description: "A holiday to take off the calendar: the workshop works that day after all." })
export class RemoveHolidayInput {
  @Field(() => LocalDateScalar, { description: "The holiday's day." })
  date: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `removeHoliday`." })
export class RemoveHolidayPayload extends Payload {
  @Field(() => Holiday, { nullable: true, description: "The holiday removed, as it was." })
  holiday?: Holiday | null;
}
