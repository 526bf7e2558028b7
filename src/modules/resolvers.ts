import { accountsResolvers } from "./accounts";
import { catalogResolvers } from "./catalog";
import { ordersResolvers } from "./orders";

// Every resolver class, module by module.
export const resolvers = [...accountsResolvers, ...catalogResolvers, ...ordersResolvers] as const;
