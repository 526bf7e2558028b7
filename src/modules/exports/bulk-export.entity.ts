import { Field, Float, Int, ObjectType, registerEnumType } from "type-graphql";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Node } from "../../graphql/node";
import { DateTimeScalar } from "../../graphql/scalars";

export enum BulkExportKind {
  ORDERS = "ORDERS",
  SHIPMENTS = "SHIPMENTS",
  CATALOG = "CATALOG",
}

registerEnumType(BulkExportKind, {
  name: "BulkExportKind",
  description: "What a bulk export holds: one JSON object a line of the kind's shape (docs/bulk-export.md).",
  valuesConfig: {
    ORDERS: { description: "Your distributor's orders, each with its lines and status history. API clients need `orders:read`." },
    SHIPMENTS: { description: "Your distributor's shipments, each with its lines and tracking events. API clients need `shipments:read`." },
    CATALOG: { description: "The catalog's styles, each with its variants, your price list's prices and availability. API clients need `catalog:read`." },
  },
});

export enum BulkExportStatus {
  QUEUED = "QUEUED",
  RUNNING = "RUNNING",
  COMPLETED = "COMPLETED",
  FAILED = "FAILED",
  EXPIRED = "EXPIRED",
}

registerEnumType(BulkExportStatus, {
  name: "BulkExportStatus",
  description: "Where a bulk export stands.",
  valuesConfig: {
    QUEUED: { description: "Waiting for a job runner to take it." },
    RUNNING: { description: "Being written." },
    COMPLETED: { description: "Written: `url` downloads the file until `expiresAt`." },
    FAILED: { description: "It could not be written (`error` says why); start another." },
    EXPIRED: { description: "Its file was deleted once its retention ended; start another." },
  },
});

// A row of bulk_exports (migrations/1795002400000-bulk-exports.ts): one file a distributor asked
// for, written by the bulk export job, kept until expires_at.
@ObjectType({ simpleResolvers: true, implements: Node, description: "A file of your distributor's orders, shipments or catalog, one JSON object a line, written in the background." })
@Entity("bulk_exports")
export class BulkExport extends Node {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  distributorId: string;

  @Column({ type: "uuid", nullable: true })
  requestedByUserId: string | null;

  @Column({ type: "uuid", nullable: true })
  requestedByApiClientId: string | null;

  @Field(() => BulkExportKind, { description: "What the file holds." })
  @Column({ type: "varchar", length: 16 })
  kind: BulkExportKind;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only objects changed at or after this time; null: every object." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  updatedSince: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      "Every change before this time is in the file, and none at or after it: pass it as the next export's `updatedSince` to continue the sync without a gap. Set once the export has completed.",
  })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  horizon: Date | null;

  @Field(() => BulkExportStatus, { description: "Where the export stands." })
  @Column({ type: "varchar", length: 16 })
  status: BulkExportStatus;

  @Field(() => Int, { nullable: true, description: "Objects (lines) in the file; null until it has completed." })
  @Column({ type: "integer", nullable: true })
  objectCount: number | null;

  /** bigint, as pg gives it: a string. */
  @Column({ type: "bigint", nullable: true })
  byteSize: string | null;

  @Field(() => String, { nullable: true, description: "SHA-256 of the file, in hex, to check the download against; null until it has completed." })
  @Column({ type: "char", length: 64, nullable: true })
  sha256: string | null;

  /** Where the storage keeps the file (see storage.ts). */
  @Column({ type: "varchar", length: 200, nullable: true })
  fileKey: string | null;

  @Field(() => String, { nullable: true, description: "Why the export failed; null unless FAILED." })
  @Column({ type: "varchar", length: 500, nullable: true })
  error: string | null;

  @Field(() => DateTimeScalar, { description: "When it was asked for." })
  @Column({ type: "timestamptz", precision: 3 })
  createdAt: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: "When a job runner began writing it." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  startedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it completed or failed." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  completedAt: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the file is deleted (and the export becomes EXPIRED); null until it has completed." })
  @Column({ type: "timestamptz", precision: 3, nullable: true })
  expiresAt: Date | null;

  // Float: a file may pass the 2 GiB an Int holds, and stays well below 2^53.
  @Field(() => Float, { name: "byteSize", nullable: true, description: "Size of the file in bytes; null until it has completed." })
  get size(): number | null {
    return this.byteSize === null ? null : Number(this.byteSize);
  }
}
