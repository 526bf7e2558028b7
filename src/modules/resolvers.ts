import { accountsResolvers } from "./accounts";
import { auditResolvers } from "./audit";
import { briefsResolvers } from "./briefs";
import { calendarResolvers } from "./calendar";
import { catalogResolvers } from "./catalog";
import { feedbackResolvers } from "./feedback";
import { ordersResolvers } from "./orders";
import { shipmentsResolvers } from "./shipments";

// Every resolver class, module by module.
export const resolvers = [...accountsResolvers, ...catalogResolvers, ...calendarResolvers, ...ordersResolvers, ...briefsResolvers, ...shipmentsResolvers, ...feedbackResolvers, ...auditResolvers] as const;
