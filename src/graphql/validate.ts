import { UserErrorCode, type UserErrors } from "./user-error";

type Path = readonly (string | number)[];

/**
 * Trims a text input and checks its length; records a user error naming the field and returns
 * undefined when the value is unusable.
 */
export function text(
  errors: UserErrors,
  path: Path,
  value: string | null | undefined,
  { min = 1, max, label }: { min?: number; max: number; label: string },
): string | undefined {
  const trimmed = (value ?? "").trim();
  if (trimmed.length === 0 && min > 0) {
    errors.add(path, `${label} is required`, UserErrorCode.REQUIRED);
    return undefined;
  }
  if (trimmed.length < min) {
    errors.add(path, `${label} must be at least ${min} characters`, UserErrorCode.TOO_SHORT);
    return undefined;
  }
  if (trimmed.length > max) {
    errors.add(path, `${label} must be at most ${max} characters`, UserErrorCode.TOO_LONG);
    return undefined;
  }
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(trimmed)) {
    errors.add(path, `${label} contains control characters`, UserErrorCode.INVALID);
    return undefined;
  }
  return trimmed;
}

// Deliberately plain: one @, no spaces, a dot in the domain. Deliverability is not ours to judge.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function email(errors: UserErrors, path: Path, value: string | null | undefined): string | undefined {
  const trimmed = text(errors, path, value, { max: 254, label: "Email" });
  if (trimmed === undefined) return undefined;
  if (!EMAIL.test(trimmed)) {
    errors.add(path, "Email is not a valid address", UserErrorCode.INVALID);
    return undefined;
  }
  return trimmed.toLowerCase();
}
