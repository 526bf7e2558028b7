import { Column, Entity, PrimaryColumn } from "typeorm";

// Failed sign-ins per email, kept for any email (known or not) so that throttling reveals nothing.
@Entity("login_attempts")
export class LoginAttempt {
  @PrimaryColumn({ type: "varchar", length: 254 })
  email: string;

  @Column({ type: "integer" })
  failures: number;

  @Column({ type: "timestamptz", precision: 3 })
  lastFailureAt: Date;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  lockedUntil: Date | null;
}
