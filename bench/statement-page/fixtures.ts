// Databases for the benchmark: the demo seed (coordinator, organisations, the CICC
// statement) plus one open statement with `count` approved signatories whose names
// are synthetic but realistic in length and variety, so the page weighs what a real
// one of that size would.
import { openDatabase, migrateToLatest } from "../../db/connection";
import { seedIfEmpty } from "../../app/workflows/seed/index.server";
import { nameKey } from "../../app/models/name-matching.server";
import { DEMO_API_TOKEN, DEMO_PASSWORD } from "../../tests/setup/server";

const KINDS = ["Association", "Centre", "Coalition", "Committee", "Foundation", "Institute", "League", "Network", "Union", "Society", "Forum", "Alliance"];
const TOPICS = ["Human Rights", "International Justice", "Victims' Rights", "Peace and Development", "the Rule of Law", "Women's Rights", "Children's Rights", "Accountability", "Transitional Justice", "Civil Liberties"];
const PLACES = ["Accra", "Bogotá", "Dhaka", "Kyiv", "Lagos", "Lima", "Manila", "Nairobi", "Oslo", "Ramallah", "Tbilisi", "Yerevan", "Kinshasa", "Bujumbura", "Kampala", "Sarajevo", "São Paulo", "Zürich"];

/** A deterministic pseudo-random generator, so every run measures the same page. */
function generator(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s % n;
  };
}

export function syntheticNames(count: number): string[] {
  const pick = generator(count);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${PLACES[pick(PLACES.length)]} ${KINDS[pick(KINDS.length)]} for ${TOPICS[pick(TOPICS.length)]} ${i + 1}`;
    names.push(pick(4) === 0 ? `${name} (${name.split(" ").map((w) => w[0]).join("").toUpperCase()}${i + 1})` : name);
  }
  return names;
}

export async function createBenchDatabase(path: string, slug: string, count: number): Promise<void> {
  const db = openDatabase(path);
  try {
    await migrateToLatest(db);
    await seedIfEmpty(db, { DEMO_PASSWORD, DEMO_API_TOKEN });
    const author = await db.selectFrom("organisations").select("id").where("acronym", "=", "CICC").executeTakeFirstOrThrow();
    const { id } = await db
      .insertInto("statements")
      .values({
        slug,
        title: `Benchmark statement with ${count} signatories`,
        statement_date: "2026-11-23",
        author_organisation_id: author.id,
        language: "en",
        body_markdown: Array.from({ length: 6 }, (_, i) => `Paragraph ${i + 1} of the statement, long enough to weigh what a real paragraph weighs on the page. `.repeat(4)).join("\n\n"),
        lead_in: "The Coalition for the International Criminal Court (CICC) and:",
        status: "open",
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await db.insertInto("statement_points").values(Array.from({ length: 6 }, (_, i) => ({ statement_id: id, position: i + 1, text: `**Demand ${i + 1}**: what the signatories ask governments to do, in a sentence or two.` }))).execute();
    await db.insertInto("statement_footnotes").values({ statement_id: id, mark: "*", text: "A footnote about one signatory." }).execute();
    const names = syntheticNames(count);
    for (let start = 0; start < names.length; start += 500) {
      await db
        .insertInto("signatures")
        .values(
          names.slice(start, start + 500).map((name, j) => ({
            statement_id: id,
            organisation_name: name,
            name_key: nameKey(name),
            footnote_mark: start + j === 7 ? "*" : null,
            status: "approved" as const,
            source: "import" as const,
          })),
        )
        .execute();
    }
  } finally {
    await db.destroy();
  }
}
