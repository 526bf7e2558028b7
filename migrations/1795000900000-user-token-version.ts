import type { MigrationInterface, QueryRunner } from "typeorm";

// A user's tokens carry its token version. Deactivation moves the version on, so tokens issued
// before it stay refused after the user is reactivated (a token taken from a lost device never
// comes back to life). Tokens issued before this migration carry none and are refused once: their
// holders sign in again.
export class UserTokenVersion1795000900000 implements MigrationInterface {
  name = "UserTokenVersion1795000900000";

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users ADD COLUMN token_version integer NOT NULL DEFAULT 1`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE users DROP COLUMN token_version`);
  }
}
