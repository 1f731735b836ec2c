// Organisation names as lists and letters show them. Many organisations write their
// acronym into their name ("… à Shabunda (ACADHOSHA)") and also fill in the acronym
// field: appending it again would print "(ACADHOSHA) (ACADHOSHA)".

/** The acronym to show after the name, or null when there is none or the name already carries it. */
export function acronymToAdd(name: string, acronym: string | null | undefined): string | null {
  const a = acronym?.trim();
  if (!a) return null;
  return name.toLocaleLowerCase("en").includes(`(${a.toLocaleLowerCase("en")})`) || name.trim().toLocaleLowerCase("en") === a.toLocaleLowerCase("en") ? null : a;
}

/** "Name (ACR)", or the name alone when it already says its acronym. */
export function organisationLabel(name: string, acronym: string | null | undefined): string {
  const a = acronymToAdd(name, acronym);
  return a ? `${name} (${a})` : name;
}
