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

/**
 * Checks a decimal string: at most `scale` decimals and within [min, max]. The bounds are
 * compared as numbers, which is exact enough for limits; the value itself stays a string.
 */
export function decimal(
  errors: UserErrors,
  path: Path,
  value: string | null | undefined,
  { scale, min, max, label, exclusiveMin = false }: { scale: number; min: number; max: number; label: string; exclusiveMin?: boolean },
): string | undefined {
  if (value === null || value === undefined || value === "") {
    errors.add(path, `${label} is required`, UserErrorCode.REQUIRED);
    return undefined;
  }
  const [, fraction = ""] = value.split(".");
  if (fraction.length > scale) {
    errors.add(path, scale === 0 ? `${label} must be a whole number` : `${label} may have at most ${scale} decimal places`, UserErrorCode.INVALID);
    return undefined;
  }
  const n = Number(value);
  if (exclusiveMin ? n <= min : n < min) {
    errors.add(path, `${label} must be ${exclusiveMin ? "greater than" : "at least"} ${min}`, UserErrorCode.OUT_OF_RANGE);
    return undefined;
  }
  if (n > max) {
    errors.add(path, `${label} must be at most ${max}`, UserErrorCode.OUT_OF_RANGE);
    return undefined;
  }
  return value;
}

export function integer(
  errors: UserErrors,
  path: Path,
  value: number | null | undefined,
  { min, max, label }: { min: number; max: number; label: string },
): number | undefined {
  if (value === null || value === undefined) {
    errors.add(path, `${label} is required`, UserErrorCode.REQUIRED);
    return undefined;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    errors.add(path, `${label} must be a whole number from ${min} to ${max}`, UserErrorCode.OUT_OF_RANGE);
    return undefined;
  }
  return value;
}

/** An absolute https URL (images and documents are only ever linked over TLS). */
export function httpsUrl(errors: UserErrors, path: Path, value: string | null | undefined, label: string): string | undefined {
  const trimmed = text(errors, path, value, { max: 2000, label });
  if (trimmed === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    errors.add(path, `${label} is not a valid URL`, UserErrorCode.INVALID);
    return undefined;
  }
  if (url.protocol !== "https:" || url.username || url.password) {
    errors.add(path, `${label} must be an https URL without credentials`, UserErrorCode.INVALID);
    return undefined;
  }
  return url.toString();
}
