import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

// Where a run's report goes and what it says of the build it ran (scripts/attack, scripts/drill).

/** "commit 1a2b3c4", with a note when the working tree has uncommitted changes; "no git commit" outside a checkout. */
export function buildLabel(root: string): string {
  try {
    const commit = execFileSync("git", ["-C", root, "rev-parse", "--short", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["-C", root, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return `commit ${commit}${dirty ? " with uncommitted changes in the working tree" : ""}`;
  } catch {
    return "no git commit";
  }
}

/** Writes a report to `<dir>/<UTC timestamp>.md` (`-2`, `-3`… when that file exists) and returns its path. */
export function writeResult(dir: string, date: Date, report: string): string {
  mkdirSync(dir, { recursive: true });
  const stamp = date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  let file = path.join(dir, `${stamp}.md`);
  for (let i = 2; existsSync(file); i++) file = path.join(dir, `${stamp}-${i}.md`);
  writeFileSync(file, report);
  return file;
}
