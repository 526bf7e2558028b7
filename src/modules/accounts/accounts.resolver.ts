import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import { Allow } from "../../graphql/access";
import { ANYONE, Roles, SIGNED_IN, UserRole } from "../../core/access";
import { ConnectionArgs } from "../../graphql/connection";
import { loader } from "../../db/loaders";
import type { RequestContext } from "../../core/context";
import { distributorById } from "./accounts.loaders";
import {
  ApiClientConnection,
  ApiClientIdInput,
  CreateApiClientInput,
  CreateApiClientPayload,
  CreateUserInput,
  CreateUserPayload,
  DeactivateUserPayload,
  DistributorConnection,
  DistributorFilter,
  LoginInput,
  LoginPayload,
  ReactivateUserPayload,
  RevokeApiClientPayload,
  RotateApiClientSecretPayload,
  UserConnection,
  UserIdInput,
  Viewer,
} from "./accounts.inputs";
import * as accounts from "./accounts.service";
import * as auth from "./auth.service";
import { ApiClient } from "./api-client.entity";
import { Distributor } from "./distributor.entity";
import { User } from "./user.entity";

@Resolver()
export class AuthResolver {
  @Allow(ANYONE)
  @Mutation(() => LoginPayload, { description: "Signs a user in with email and password and returns a bearer access token." })
  login(@Ctx() ctx: RequestContext, @Arg("input", () => LoginInput) input: LoginInput): Promise<LoginPayload> {
    return auth.login(ctx, input);
  }

  @Allow(SIGNED_IN)
  @Query(() => Viewer, { nullable: true, description: "Who is calling: the user or API client behind the access token." })
  viewer(@Ctx() ctx: RequestContext): Promise<Viewer> {
    return accounts.viewer(ctx);
  }
}

@Resolver(() => Distributor)
export class DistributorResolver {
  @Allow(...Roles.STAFF)
  @Query(() => DistributorConnection, { nullable: true, description: "Every distributor, by name. Exporter staff only." })
  distributors(
    @Ctx() ctx: RequestContext,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg("filter", () => DistributorFilter, { nullable: true, description: "Narrows the list." }) filter?: DistributorFilter,
  ) {
    return accounts.listDistributors(ctx, args, filter);
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN, ...Roles.STAFF)
  @FieldResolver(() => UserConnection, { nullable: true, description: "The distributor's users, by email. Its admins and exporter staff only." })
  users(@Ctx() ctx: RequestContext, @Root() distributor: Distributor, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return accounts.listUsers(ctx, distributor, args);
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN, ...Roles.STAFF)
  @FieldResolver(() => ApiClientConnection, { nullable: true, description: "The distributor's ERP API clients, oldest first. Its admins and exporter staff only." })
  apiClients(@Ctx() ctx: RequestContext, @Root() distributor: Distributor, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    return accounts.listApiClients(ctx, distributor, args);
  }
}

@Resolver(() => User)
export class UserResolver {
  @FieldResolver(() => Distributor, { nullable: true, description: "The user's distributor; null for exporter staff." })
  distributor(@Ctx() ctx: RequestContext, @Root() user: User): Promise<Distributor | null> | null {
    return user.distributorId ? loader(ctx, distributorById).load(user.distributorId) : null;
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN)
  @Mutation(() => CreateUserPayload, { description: "Adds a buyer or admin to the caller's distributor." })
  createUser(@Ctx() ctx: RequestContext, @Arg("input", () => CreateUserInput) input: CreateUserInput): Promise<CreateUserPayload> {
    return accounts.createUser(ctx, input);
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN)
  @Mutation(() => DeactivateUserPayload, { description: "Stops a user of the caller's distributor from signing in; their tokens stop working at once." })
  deactivateUser(@Ctx() ctx: RequestContext, @Arg("input", () => UserIdInput) input: UserIdInput): Promise<DeactivateUserPayload> {
    return accounts.deactivateUser(ctx, input.id);
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN)
  @Mutation(() => ReactivateUserPayload, { description: "Lets a deactivated user of the caller's distributor sign in again." })
  reactivateUser(@Ctx() ctx: RequestContext, @Arg("input", () => UserIdInput) input: UserIdInput): Promise<ReactivateUserPayload> {
    return accounts.reactivateUser(ctx, input.id);
  }
}

@Resolver(() => ApiClient)
export class ApiClientResolver {
  @FieldResolver(() => Distributor, { description: "The distributor the client belongs to." })
  async distributor(@Ctx() ctx: RequestContext, @Root() client: ApiClient): Promise<Distributor> {
    return (await loader(ctx, distributorById).load(client.distributorId))!;
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN)
  @Mutation(() => CreateApiClientPayload, { description: "Registers an ERP integration for the caller's distributor and returns its secret once." })
  createApiClient(@Ctx() ctx: RequestContext, @Arg("input", () => CreateApiClientInput) input: CreateApiClientInput): Promise<CreateApiClientPayload> {
    return accounts.createApiClient(ctx, input);
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN)
  @Mutation(() => RevokeApiClientPayload, { description: "Revokes an API client: it gets no new tokens and its tokens stop working." })
  revokeApiClient(@Ctx() ctx: RequestContext, @Arg("input", () => ApiClientIdInput) input: ApiClientIdInput): Promise<RevokeApiClientPayload> {
    return accounts.revokeApiClient(ctx, input.id);
  }

  @Allow(UserRole.DISTRIBUTOR_ADMIN)
  @Mutation(() => RotateApiClientSecretPayload, { description: "Issues a new secret for an API client, shown once; the old secret and its tokens stop working." })
  rotateApiClientSecret(@Ctx() ctx: RequestContext, @Arg("input", () => ApiClientIdInput) input: ApiClientIdInput): Promise<RotateApiClientSecretPayload> {
    return accounts.rotateApiClientSecret(ctx, input.id);
  }
}
