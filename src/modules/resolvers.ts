import { accountsResolvers } from "./accounts";
import { auditResolvers } from "./audit";
import { briefsResolvers } from "./briefs";
import { calendarResolvers } from "./calendar";
import { catalogResolvers } from "./catalog";
import { eventsResolvers } from "./events";
import { exportsResolvers } from "./exports";
import { feedbackResolvers } from "./feedback";
import { ordersResolvers } from "./orders";
import { pricingResolvers } from "./pricing";
import { shipmentsResolvers } from "./shipments";
import { webhooksResolvers } from "./webhooks";

// Every resolver class, module by module.
export const resolvers = [...accountsResolvers, ...catalogResolvers, ...calendarResolvers, ...pricingResolvers, ...ordersResolvers, ...briefsResolvers, ...shipmentsResolvers, ...feedbackResolvers, ...eventsResolvers, ...exportsResolvers, ...webhooksResolvers, ...auditResolvers] as const;
