import { accountsEntities } from "./accounts";
import { catalogEntities } from "./catalog";

// Every TypeORM entity, module by module.
export const entities = [...accountsEntities, ...catalogEntities];
