import { Field, ID, InputType, Int, ObjectType } from "type-graphql";
import { ApiScope, UserRole } from "../../core/access";
import { Connection } from "../../graphql/connection";
import { CountryCode, DateTimeScalar } from "../../graphql/scalars";
import { Payload } from "../../graphql/user-error";
import { ApiClient } from "./api-client.entity";
import { Distributor } from "./distributor.entity";
import { User } from "./user.entity";

export const DistributorConnection = Connection(Distributor);
export const UserConnection = Connection(User);
export const ApiClientConnection = Connection(ApiClient);

@ObjectType({ simpleResolvers: true, description: "Who is calling: a signed-in user or an ERP API client." })
export class Viewer {
  @Field(() => ID, { description: "Opaque id of the caller, stable across requests: one per user or API client." })
  id: string;

  @Field(() => User, { nullable: true, description: "The signed-in user; null for an API client." })
  user: User | null;

  @Field(() => ApiClient, { nullable: true, description: "The calling API client; null for a user." })
  apiClient: ApiClient | null;

  @Field(() => Distributor, { nullable: true, description: "The caller's distributor; null for exporter staff." })
  distributor: Distributor | null;

  @Field(() => UserRole, { nullable: true, description: "The user's role; null for an API client." })
  role: UserRole | null;

  @Field(() => [ApiScope], { description: "The scopes of the API client's token; empty for a user." })
  scopes: ApiScope[];
}

@InputType({ description: "Filters for the distributor list; all given filters must match." })
export class DistributorFilter {
  @Field(() => String, { nullable: true, description: "Matches part of the name or code, ignoring case." })
  search?: string | null;

  @Field(() => CountryCode, { nullable: true, description: "Only distributors seated in this country." })
  country?: CountryCode | null;
}

@InputType({ description: "Email and password of a user." })
export class LoginInput {
  @Field(() => String, { description: "The user's email." })
  email: string;

  @Field(() => String, { description: "The user's password." })
  password: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `login`: a bearer access token, or why none was issued." })
export class LoginPayload extends Payload {
  @Field(() => String, { nullable: true, description: "JWT to send as `Authorization: Bearer <token>`." })
  accessToken?: string | null;

  @Field(() => String, { nullable: true, description: "Always `Bearer`." })
  tokenType?: string | null;

  @Field(() => Int, { nullable: true, description: "Seconds until the token expires." })
  expiresIn?: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When the token expires." })
  expiresAt?: Date | null;

  @Field(() => User, { nullable: true, description: "The signed-in user." })
  user?: User | null;
}

@InputType({ description: "A new user of the caller's distributor." })
export class CreateUserInput {
  @Field(() => String, { description: "Sign-in email; unique across Facet." })
  email: string;

  @Field(() => String, { description: "Full name, up to 200 characters." })
  name: string;

  @Field(() => UserRole, { description: "`BUYER` or `DISTRIBUTOR_ADMIN`." })
  role: UserRole;

  @Field(() => String, { description: "Initial password, 12 to 128 characters of which at least 5 different (spaces aside); share it with the user securely." })
  password: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `createUser`." })
export class CreateUserPayload extends Payload {
  @Field(() => User, { nullable: true, description: "The new user." })
  user?: User | null;
}

@InputType({ description: "Names one user of the caller's distributor." })
export class UserIdInput {
  @Field(() => ID, { description: "The user's id." })
  id: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `deactivateUser`." })
export class DeactivateUserPayload extends Payload {
  @Field(() => User, { nullable: true, description: "The deactivated user." })
  user?: User | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `reactivateUser`." })
export class ReactivateUserPayload extends Payload {
  @Field(() => User, { nullable: true, description: "The reactivated user." })
  user?: User | null;
}

@InputType({ description: "A new ERP API client of the caller's distributor." })
export class CreateApiClientInput {
  @Field(() => String, { description: "What the integration is, up to 200 characters." })
  name: string;

  @Field(() => [ApiScope], { description: "The scopes its tokens may be granted; at least one." })
  scopes: ApiScope[];
}

@ObjectType({ simpleResolvers: true, description: "The result of `createApiClient`. The secret is shown here once and never again." })
export class CreateApiClientPayload extends Payload {
  @Field(() => ApiClient, { nullable: true, description: "The new client." })
  apiClient?: ApiClient | null;

  @Field(() => String, { nullable: true, description: "The client secret. Store it now: Facet keeps only a hash." })
  clientSecret?: string | null;
}

@InputType({ description: "Names one API client of the caller's distributor." })
export class ApiClientIdInput {
  @Field(() => ID, { description: "The API client's id." })
  id: string;
}

@ObjectType({ simpleResolvers: true, description: "The result of `revokeApiClient`." })
export class RevokeApiClientPayload extends Payload {
  @Field(() => ApiClient, { nullable: true, description: "The revoked client." })
  apiClient?: ApiClient | null;
}

@ObjectType({ simpleResolvers: true, description: "The result of `rotateApiClientSecret`. The new secret is shown here once; the old one and its tokens stop working." })
export class RotateApiClientSecretPayload extends Payload {
  @Field(() => ApiClient, { nullable: true, description: "The client." })
  apiClient?: ApiClient | null;

  @Field(() => String, { nullable: true, description: "The new client secret. Store it now: Facet keeps only a hash." })
  clientSecret?: string | null;
}
