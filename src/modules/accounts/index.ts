import { registerNode } from "../../graphql/node";
import { ApiClientResolver, AuthResolver, DistributorResolver, UserResolver } from "./accounts.resolver";
import { findApiClient, findDistributor, findUser } from "./accounts.service";
import { ApiClient } from "./api-client.entity";
import { Distributor } from "./distributor.entity";
import { LoginAttempt } from "./login-attempt.entity";
import { User } from "./user.entity";

registerNode(Distributor, "Distributor", findDistributor);
registerNode(User, "User", findUser);
registerNode(ApiClient, "ApiClient", findApiClient);

export const accountsEntities = [Distributor, User, ApiClient, LoginAttempt];
export const accountsResolvers = [AuthResolver, DistributorResolver, UserResolver, ApiClientResolver] as const;

export { actorOf, type Actor } from "./actor";
export { authenticate, clientCredentials } from "./auth.service";
export { hashSecret } from "./secrets";
export { ApiClient, Distributor, User };
