// The parts of pg's own modules that db/pipeline.ts reuses (pg's typings cover only its public API).

declare module "pg/lib/result" {
  import type { FieldDef } from "pg";
  export default class Result {
    command: string | null;
    rowCount: number | null;
    rows: unknown[];
    fields: FieldDef[];
    addFields(fieldDescriptions: unknown[]): void;
    parseRow(rowData: unknown[]): unknown;
    addRow(row: unknown): void;
    addCommandComplete(message: unknown): void;
  }
}

declare module "pg/lib/utils" {
  export function prepareValue(value: unknown): unknown;
}
