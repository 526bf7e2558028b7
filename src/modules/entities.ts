import { accountsEntities } from "./accounts";

// Every TypeORM entity, module by module.
export const entities = [...accountsEntities];
