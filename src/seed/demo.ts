import type { DataSource, EntityManager } from "typeorm";
import { ALL_SCOPES, UserRole } from "../core/access";
import { Incoterm } from "../graphql/scalars";
import { ApiClient, Distributor, hashSecret, User } from "../modules/accounts";
import { DEMO_ERP_CLIENT_ID, DEMO_ERP_SECRET, DEMO_PASSWORD } from "../modules/accounts/demo-credentials";
import { log } from "../logger";
import { seedCatalog } from "./catalog";
import { seedBriefs } from "./briefs";
import { seedCalendar } from "./calendar";
import { seedEvents } from "./events";
import { seedBulkExports } from "./exports";
import { seedFeedback } from "./feedback";
import { seedOrders } from "./orders";
import { seedPricing } from "./pricing";
import { seedQuantityBreaks } from "./quantity-breaks";
import { seedShipments } from "./shipments";
import { seedWebhooks } from "./webhooks";

export const DEMO_LOGINS = [
  { email: "buyer@atelier-paris.example", name: "Camille Laurent", role: UserRole.BUYER, distributor: "atelier-paris" },
  { email: "admin@atelier-paris.example", name: "Julien Moreau", role: UserRole.DISTRIBUTOR_ADMIN, distributor: "atelier-paris" },
  { email: "buyer@gulf-gold.example", name: "Omar Haddad", role: UserRole.BUYER, distributor: "gulf-gold" },
  { email: "buyer@maple-jewels.example", name: "Émilie Tremblay", role: UserRole.BUYER, distributor: "maple-jewels" },
  { email: "manager@facet.example", name: "Priya Raman", role: UserRole.EXPORT_MANAGER, distributor: null },
  { email: "support@facet.example", name: "Daniel Okafor", role: UserRole.SUPPORT, distributor: null },
] as const;

const DISTRIBUTORS = [
  { code: "atelier-paris", name: "Atelier Paris", country: "FR", currency: "EUR", defaultIncoterm: Incoterm.DAP },
  { code: "gulf-gold", name: "Gulf Gold Trading", country: "AE", currency: "USD", defaultIncoterm: Incoterm.CIP },
  { code: "maple-jewels", name: "Maple Jewels", country: "CA", currency: "CAD", defaultIncoterm: Incoterm.FCA },
] as const;

async function seedAccounts(db: EntityManager): Promise<void> {
  const byCode = new Map<string, Distributor>();
  for (const d of DISTRIBUTORS) byCode.set(d.code, await db.save(db.create(Distributor, d)));
  const passwordHash = await hashSecret(DEMO_PASSWORD);
  for (const login of DEMO_LOGINS) {
    await db.save(
      db.create(User, {
        email: login.email,
        name: login.name,
        role: login.role,
        passwordHash,
        distributorId: login.distributor ? byCode.get(login.distributor)!.id : null,
      }),
    );
  }
  await db.save(
    db.create(ApiClient, {
      distributorId: byCode.get("atelier-paris")!.id,
      clientId: DEMO_ERP_CLIENT_ID,
      name: "Atelier Paris ERP (demo)",
      scopes: [...ALL_SCOPES],
      secretHash: await hashSecret(DEMO_ERP_SECRET),
    }),
  );
}

/**
 * Loads the demo data (with the logins the README lists) once. Returns false when it is already
 * there. Never runs in production: its credentials are published.
 */
export async function seedDemoData(dataSource: DataSource, env: string): Promise<boolean> {
  if (env === "production") throw new Error("Refusing to seed demo data with NODE_ENV=production");
  return dataSource.transaction(async (db) => {
    // One seeder at a time, even when two processes start together on the same database.
    await db.query("SELECT pg_advisory_xact_lock(hashtext('facet:seed-demo'))");
    if (await db.existsBy(Distributor, { code: DISTRIBUTORS[0].code })) return false;
    await seedAccounts(db);
    const holidays = await seedCalendar(db);
    const pricing = await seedPricing(db);
    const catalog = await seedCatalog(db);
    const orders = await seedOrders(db);
    const quantityBreaks = await seedQuantityBreaks(db);
    const briefs = await seedBriefs(db);
    const shipments = await seedShipments(db);
    const feedback = await seedFeedback(db);
    const events = await seedEvents(db);
    const webhooks = await seedWebhooks(db);
    const bulkExports = await seedBulkExports(db);
    log.info("demo data seeded", { holidays, ...pricing, ...catalog, orders, quantityBreaks, briefs, shipments, feedback, events, webhooks, bulkExports });
    return true;
  });
}
