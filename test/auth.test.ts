import { UserRole } from "../src/core/access";
import { LoginDocument, ViewerDocument } from "./generated/graphql";
import { createDistributor, createUser, TEST_PASSWORD, unique } from "./support/factories";
import { ok, startFacet, type TestFacet } from "./support/harness";

let facet: TestFacet;
beforeAll(async () => {
  // Every sign-in here comes from one address: a budget that does not get in the way.
  facet = await startFacet({ RATE_LIMIT_ANONYMOUS_POINTS: "1000000", RATE_LIMIT_ANONYMOUS_RESTORE_PER_SECOND: "100000" });
});
afterAll(() => facet.stop());

const login = (email: string, password: string) => facet.gql(LoginDocument, { input: { email, password } });

describe("login", () => {
  it("returns a bearer token that identifies the user", async () => {
    const distributor = await createDistributor(facet.dataSource);
    const user = await createUser(facet.dataSource, { distributor, role: UserRole.DISTRIBUTOR_ADMIN });
    const { login: payload } = ok(await login(user.email.toUpperCase(), TEST_PASSWORD));
    expect(payload.userErrors).toEqual([]);
    expect(payload.tokenType).toBe("Bearer");
    expect(payload.expiresIn).toBe(3600);
    expect(Date.parse(payload.expiresAt!)).toBeGreaterThan(Date.now() + 3500_000);
    expect(payload.user).toMatchObject({ email: user.email, role: "DISTRIBUTOR_ADMIN", distributor: { name: distributor.name } });

    const { viewer } = ok(await facet.gql(ViewerDocument, {}, { token: payload.accessToken! }));
    expect(viewer).toMatchObject({ role: "DISTRIBUTOR_ADMIN", scopes: [], user: { email: user.email }, apiClient: null, distributor: { code: distributor.code } });
  });

  it("signs in every demo login with the published password", async () => {
    for (const email of ["buyer@atelier-paris.example", "admin@atelier-paris.example", "buyer@gulf-gold.example", "buyer@maple-jewels.example", "manager@facet.example", "support@facet.example"]) {
      const { login: payload } = ok(await login(email, "facet-demo-2026"));
      expect(payload.userErrors).toEqual([]);
      expect(payload.user?.email).toBe(email);
    }
  });

  it("answers a wrong password and an unknown email identically", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) });
    const wrongPassword = ok(await login(user.email, "not the password")).login;
    // An email of its own: failures count per email, and a database the suite ran on before remembers them for an hour.
    const unknownEmail = ok(await login(`${unique("nobody")}@test.example`, TEST_PASSWORD)).login;
    expect(wrongPassword.accessToken).toBeNull();
    expect(wrongPassword.userErrors).toEqual([{ field: null, code: "INVALID_CREDENTIALS", message: "Email or password is incorrect" }]);
    expect(unknownEmail).toEqual(wrongPassword);
  });

  it("refuses a deactivated user with the same answer", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource), active: false });
    const payload = ok(await login(user.email, TEST_PASSWORD)).login;
    expect(payload.accessToken).toBeNull();
    expect(payload.userErrors.map((e) => e.code)).toEqual(["INVALID_CREDENTIALS"]);
  });

  it("names missing fields", async () => {
    const payload = ok(await login("  ", "")).login;
    expect(payload.userErrors.map((e) => [e.field, e.code])).toEqual([
      [["input", "email"], "REQUIRED"],
      [["input", "password"], "REQUIRED"],
    ]);
  });

  it("locks an email after five failures in a row, even with the right password", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) });
    for (let i = 0; i < 5; i++) {
      expect(ok(await login(user.email, `wrong-${i}`)).login.userErrors[0].code).toBe("INVALID_CREDENTIALS");
    }
    const locked = ok(await login(user.email, TEST_PASSWORD)).login;
    expect(locked.accessToken).toBeNull();
    expect(locked.userErrors[0]).toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
    expect(locked.userErrors[0].message).toMatch(/try again in 15 minutes/);

    // Unknown emails lock the same way, so the lock says nothing about whether an account exists.
    for (let i = 0; i < 5; i++) await login("ghost@test.example", `wrong-${i}`);
    expect(ok(await login("ghost@test.example", "x")).login.userErrors[0].code).toBe("TOO_MANY_ATTEMPTS");
  });

  it("clears the failure count on success", async () => {
    const user = await createUser(facet.dataSource, { distributor: await createDistributor(facet.dataSource) });
    for (let i = 0; i < 4; i++) await login(user.email, "wrong");
    expect(ok(await login(user.email, TEST_PASSWORD)).login.accessToken).toBeTruthy();
    for (let i = 0; i < 4; i++) await login(user.email, "wrong");
    expect(ok(await login(user.email, TEST_PASSWORD)).login.accessToken).toBeTruthy();
  });
});
