// What each saved version of a letter template changed, against the text before it (the
// previous version, or the file for the first): "Version 4" alone says nothing to the
// coordinator deciding whether to regenerate letters. Lines are compared as text and
// shown as text; a long unchanged stretch is folded to a count.
import { diffLines } from "diff";
import type { TemplateVersion } from "../../db/schema";
import { defaultBody, FILE_DEFAULT, type TemplateFile } from "./template-version.server";

export type ChangeLine = { kind: "added" | "removed" | "same"; text: string } | { kind: "folded"; count: number };

export interface VersionChanges {
  version: number;
  /** What it is compared with: a version number, or 0 for the file's text. */
  against: number;
  added: number;
  removed: number;
  lines: ChangeLine[];
}

const CONTEXT = 2;

/** The text in force before `version`: the previous version's, or the file's when there is none or it went back to the file. */
function before(file: TemplateFile, history: Pick<TemplateVersion, "version" | "body" | "reverted_from">[], version: number): { body: string; against: number } {
  const previous = history.filter((v) => v.version < version).sort((a, b) => b.version - a.version)[0];
  if (!previous || previous.reverted_from === FILE_DEFAULT) return { body: defaultBody(file), against: previous?.version ?? 0 };
  return { body: previous.body, against: previous.version };
}

/** Every version's changes, newest first (the history's order). */
export function templateChanges(file: TemplateFile, history: Pick<TemplateVersion, "version" | "body" | "reverted_from">[]): VersionChanges[] {
  return [...history].sort((a, b) => b.version - a.version).map((v) => {
    const prior = before(file, history, v.version);
    const body = v.reverted_from === FILE_DEFAULT ? defaultBody(file) : v.body;
    return { version: v.version, against: prior.against, ...compare(prior.body, body) };
  });
}

function compare(from: string, to: string): Omit<VersionChanges, "version" | "against"> {
  const all: { kind: "added" | "removed" | "same"; text: string }[] = [];
  for (const part of diffLines(from, to)) {
    const kind = part.added ? "added" : part.removed ? "removed" : "same";
    for (const text of part.value.replace(/\n$/, "").split("\n")) all.push({ kind, text });
  }
  const near = (i: number) => all.slice(Math.max(0, i - CONTEXT), i + CONTEXT + 1).some((l) => l.kind !== "same");
  const lines: ChangeLine[] = [];
  for (let i = 0; i < all.length; i++) {
    if (all[i].kind !== "same" || near(i)) { lines.push(all[i]); continue; }
    const last = lines[lines.length - 1];
    if (last?.kind === "folded") last.count++;
    else lines.push({ kind: "folded", count: 1 });
  }
  return { added: all.filter((l) => l.kind === "added").length, removed: all.filter((l) => l.kind === "removed").length, lines };
}
