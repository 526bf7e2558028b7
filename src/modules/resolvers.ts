import { accountsResolvers } from "./accounts";
import { catalogResolvers } from "./catalog";

// Every resolver class, module by module.
export const resolvers = [...accountsResolvers, ...catalogResolvers] as const;
