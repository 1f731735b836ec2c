// The UN regional groups as the ICC Assembly of States Parties lists its members.
// Client-safe on purpose (no server imports): the country pages' select and table
// need the same labels as the server.
import type { RegionalGroup } from "../../db/schema";

export const REGIONAL_GROUPS = [
  "african",
  "asia-pacific",
  "eastern-european",
  "latin-american-caribbean",
  "western-european-other",
] as const satisfies readonly RegionalGroup[];

const LABELS: Record<RegionalGroup, string> = {
  african: "African States",
  "asia-pacific": "Asia-Pacific States",
  "eastern-european": "Eastern European States",
  "latin-american-caribbean": "Latin American and Caribbean States",
  "western-european-other": "Western European and Other States",
};

/** "African States" for "african"; "No regional group" for the Holy See's null. */
export function regionalGroupLabel(group: RegionalGroup | null): string {
  return group ? LABELS[group] : "No regional group";
}

export function isRegionalGroup(value: unknown): value is RegionalGroup {
  return typeof value === "string" && (REGIONAL_GROUPS as readonly string[]).includes(value);
}
