// Facet's lint: the rules that keep its layers pointing one way and its dependencies used through
// their public APIs. (Formatting and style are left to review.)
import tseslint from "typescript-eslint";

const MODULES = "accounts|audit|briefs|calendar|catalog|feedback|orders|shipments";

// Another package's internal files: only what a package exports is used.
const privateParts = [
  { group: ["pg/lib/*", "pg/lib"], message: "pg's internal modules: use what `pg` exports." },
  { regex: "^typeorm/.+", message: "TypeORM's internal files: import from `typeorm`." },
  { regex: "^@apollo/server/dist(/|$)", message: "Apollo Server's compiled files: use its documented entry points." },
  { regex: "^type-graphql/.+", message: "type-graphql's internal files: import from `type-graphql`." },
];

const graphqlPackages = [{ regex: "^(graphql|type-graphql|graphql-scalars|@apollo/.*|@as-integrations/.*|fastify|@fastify/.*)$", message: "This layer knows nothing of GraphQL or HTTP." }];
const upward = (layers, message) => [{ regex: `^(\\.\\./)+(${layers})(/|$)`, message }];

const restrict = (patterns) => ({ "no-restricted-imports": ["error", { patterns: [...privateParts, ...patterns] }] });

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "test/generated/**"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    rules: { "no-new-func": "error", ...restrict([]) },
  },
  // core ← db ← graphql ← modules ← server: each layer imports only the ones before it.
  { files: ["src/core/**/*.ts"], rules: restrict([...graphqlPackages, ...upward("db|graphql|modules|server|seed", "core imports no other layer.")]) },
  { files: ["src/db/**/*.ts"], rules: restrict([...graphqlPackages, ...upward("graphql|modules|server|seed", "db imports only core.")]) },
  { files: ["src/graphql/**/*.ts"], rules: restrict(upward("modules|server|seed", "graphql imports only core and db.")) },
  {
    files: ["src/modules/**/*.ts"],
    rules: restrict([
      ...upward("server|seed", "modules do not import the server."),
      { regex: `^\\.\\./(${MODULES})/`, message: "Another module is reached through its index.ts only." },
    ]),
  },
);
