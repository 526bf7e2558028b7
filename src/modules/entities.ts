import { accountsEntities } from "./accounts";
import { auditEntities } from "./audit";
import { briefsEntities } from "./briefs";
import { calendarEntities } from "./calendar";
import { catalogEntities } from "./catalog";
import { eventsEntities } from "./events";
import { exportsEntities } from "./exports";
import { feedbackEntities } from "./feedback";
import { ordersEntities } from "./orders";
import { pricingEntities } from "./pricing";
import { shipmentsEntities } from "./shipments";
import { webhooksEntities } from "./webhooks";

// Every TypeORM entity, module by module.
export const entities = [...accountsEntities, ...catalogEntities, ...calendarEntities, ...pricingEntities, ...ordersEntities, ...briefsEntities, ...shipmentsEntities, ...feedbackEntities, ...eventsEntities, ...exportsEntities, ...webhooksEntities, ...auditEntities];
