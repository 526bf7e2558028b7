import { accountsResolvers } from "./accounts";

// Every resolver class, module by module.
export const resolvers = [...accountsResolvers] as const;
