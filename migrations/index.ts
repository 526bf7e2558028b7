import { Accounts1795000000000 } from "./1795000000000-accounts";
import { Catalog1795000100000 } from "./1795000100000-catalog";
import { Orders1795000200000 } from "./1795000200000-orders";
import { DesignBriefs1795000300000 } from "./1795000300000-design-briefs";
import { Shipments1795000400000 } from "./1795000400000-shipments";
import { Feedback1795000500000 } from "./1795000500000-feedback";
import { RowLevelSecurity1795000600000 } from "./1795000600000-row-level-security";
import { AuditLog1795000700000 } from "./1795000700000-audit-log";
import { PrivateTables1795000750000 } from "./1795000750000-private-tables";
import { ShipmentPartialLines1795000804000 } from "./1795000804000-shipment-partial-lines";
import { CatalogFinenessIndex1795000810000 } from "./1795000810000-catalog-fineness-index";
import { UserTokenVersion1795000900000 } from "./1795000900000-user-token-version";
import { ChildRowsNameDistributor1795001000000 } from "./1795001000000-child-rows-name-distributor";
import { TenantPoliciesEstimable1795001100000 } from "./1795001100000-tenant-policies-estimable";
import { PrincipalConfirmation1795001200000 } from "./1795001200000-principal-confirmation";
import { DropPrincipalConfirmation1795001300000 } from "./1795001300000-drop-principal-confirmation";
import { SignInSources1795001400000 } from "./1795001400000-sign-in-sources";
import { PendingOrdersExpiry1795001500000 } from "./1795001500000-pending-orders-expiry";
import { IndexedSearch1795001600000 } from "./1795001600000-indexed-search";
import { ShipmentExportTerms1795001700000 } from "./1795001700000-shipment-export-terms";
import { Composition1795001800000 } from "./1795001800000-composition";
import { PartialShipments1795001900000 } from "./1795001900000-partial-shipments";
import { WorkingCalendar1795002000000 } from "./1795002000000-working-calendar";
import { Events1795002100000 } from "./1795002100000-events";
import { Jobs1795002110000 } from "./1795002110000-jobs";
import { Webhooks1795002200000 } from "./1795002200000-webhooks";
import { CatalogSync1795002300000 } from "./1795002300000-catalog-sync";
import { BulkExports1795002400000 } from "./1795002400000-bulk-exports";
import { MetalPrices1795002600000 } from "./1795002600000-metal-prices";
import { QuantityBreaks1795002800000 } from "./1795002800000-quantity-breaks";
import { QuoteMetalBasis1795002900000 } from "./1795002900000-quote-metal-basis";

// In order of application. A landed migration is never edited: add a new one.
export const migrations = [
  Accounts1795000000000,
  Catalog1795000100000,
  Orders1795000200000,
  DesignBriefs1795000300000,
  Shipments1795000400000,
  Feedback1795000500000,
  RowLevelSecurity1795000600000,
  AuditLog1795000700000,
  PrivateTables1795000750000,
  ShipmentPartialLines1795000804000,
  CatalogFinenessIndex1795000810000,
  UserTokenVersion1795000900000,
  ChildRowsNameDistributor1795001000000,
  TenantPoliciesEstimable1795001100000,
  PrincipalConfirmation1795001200000,
  DropPrincipalConfirmation1795001300000,
  SignInSources1795001400000,
  PendingOrdersExpiry1795001500000,
  IndexedSearch1795001600000,
  ShipmentExportTerms1795001700000,
  Composition1795001800000,
  PartialShipments1795001900000,
  WorkingCalendar1795002000000,
  Events1795002100000,
  Jobs1795002110000,
  Webhooks1795002200000,
  CatalogSync1795002300000,
  BulkExports1795002400000,
  MetalPrices1795002600000,
  QuantityBreaks1795002800000,
  QuoteMetalBasis1795002900000,
];
