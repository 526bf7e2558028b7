import { SIGNED_IN } from "../../core/access";
import { registerNode } from "../../graphql/node";
import { ApiClientResolver, AuthResolver, DistributorResolver, UserResolver } from "./accounts.resolver";
import { findApiClient, findDistributor, findUser } from "./accounts.service";
import { ApiClient } from "./api-client.entity";
import { Distributor } from "./distributor.entity";
import { User } from "./user.entity";

// Everyone reads their own distributor and its people (the services narrow that to the caller's
// distributor, and API clients to admins, staff and the client itself).
registerNode(Distributor, "Distributor", [SIGNED_IN], findDistributor);
registerNode(User, "User", [SIGNED_IN], findUser);
registerNode(ApiClient, "ApiClient", [SIGNED_IN], findApiClient);

export const accountsEntities = [Distributor, User, ApiClient];
export const accountsResolvers = [AuthResolver, DistributorResolver, UserResolver, ApiClientResolver] as const;

export { actorOf, type Actor } from "./actor";
export { authenticate, clientCredentials } from "./auth.service";
export { Busy as SignInBusy } from "./sign-in-limits";
export { verifyAccessToken } from "./access-token";
export { hashSecret } from "./secrets";
export { ApiClient, Distributor, User };
export { distributorById } from "./accounts.loaders";
