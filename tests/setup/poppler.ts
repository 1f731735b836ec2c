// Debian's poppler-utils read our PDFs back (text, fonts). Tests that need them skip
// with a message when they are missing; .ci/run installs them.
import { execFileSync } from "node:child_process";

export function hasTools(...tools: string[]): boolean {
  try {
    for (const tool of tools) execFileSync(tool, ["-v"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
