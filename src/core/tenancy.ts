import type { RequestContext } from "./context";
import { isStaff } from "./context";
import { NotSignedIn } from "./errors";

/**
 * The distributor whose rows this request may see, or null when the caller is staff and sees
 * every distributor. Anonymous callers never get this far.
 */
export function tenantOf(ctx: RequestContext): string | null {
  const principal = ctx.principal;
  if (!principal) throw new NotSignedIn();
  if (isStaff(principal)) return null;
  if (!principal.distributorId) throw new Error("a non-staff principal without a distributor");
  return principal.distributorId;
}
