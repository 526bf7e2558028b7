import { Column, Entity, PrimaryColumn } from "typeorm";

// Failed sign-ins per email and source ('*' for every source together), kept for any email (known
// or not) so that throttling reveals nothing. See the accounts module's auth.service.ts.
@Entity("login_attempts")
export class LoginAttempt {
  @PrimaryColumn({ type: "varchar", length: 254 })
  email: string;

  @PrimaryColumn({ type: "varchar", length: 64 })
  source: string;

  @Column({ type: "integer" })
  failures: number;

  @Column({ type: "timestamptz", precision: 3 })
  lastFailureAt: Date;

  @Column({ type: "timestamptz", precision: 3, nullable: true })
  lockedUntil: Date | null;
}
