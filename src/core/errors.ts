// Failures the core raises that a client caused. They know nothing of GraphQL or HTTP: the layers
// that answer clients map them to their own codes (graphql/errors.ts).

/** The request has no signed-in caller, and what it asked needs one. */
export class NotSignedIn extends Error {
  readonly code = "UNAUTHENTICATED";
  constructor(message = "Authentication required: send a valid access token as 'Authorization: Bearer <token>'") {
    super(message);
  }
}
