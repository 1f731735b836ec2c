// Demo data, loaded only into an empty database so a restart never duplicates it
// and a real deployment's data is never touched. Reference data (countries) is
// loaded whenever its table is empty, demo or not.
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../../db/schema";
import type { Env } from "~/platform/env.server";
import { hashPassword } from "~/platform/password.server";
import { hashSecret } from "~/platform/tokens.server";
import { loadCountries } from "./countries.server";
import { loadDemoLetters } from "./letters.server";
import { loadDemoOrganisations } from "./organisations.server";
import { loadDemoOutreach } from "./outreach.server";
import { loadDemoRecipients } from "./recipients.server";
import { loadDemoStatement } from "./statements.server";

export const DEMO_COORDINATOR_EMAIL = "coordinator@example.org";

export type SeedOutcome =
  | { seeded: true; coordinatorEmail: string; generatedPassword: string | null }
  | { seeded: false; reason: string };

export async function seedIfEmpty(
  db: Kysely<Database>,
  env: Pick<Env, "DEMO_PASSWORD" | "DEMO_API_TOKEN">,
): Promise<SeedOutcome> {
  await loadCountries(db);
  const anyUser = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  if (anyUser) return { seeded: false, reason: "the database already has users" };

  const generatedPassword = env.DEMO_PASSWORD ? null : randomBytes(12).toString("base64url");
  const passwordHash = await hashPassword(env.DEMO_PASSWORD ?? generatedPassword!);
  await db.transaction().execute(async (trx) => {
    const { coalitionId, nhcId } = await loadDemoOrganisations(trx);
    await loadDemoStatement(trx, { coalitionId });
    await loadDemoRecipients(trx, { nhcId });
    await loadDemoLetters(trx, { nhcId, coalitionId });
    await loadDemoOutreach(trx, { nhcId });
    const coordinator = await trx
      .insertInto("users")
      .values({
        email: DEMO_COORDINATOR_EMAIL,
        name: "Demo Coordinator",
        role: "coordinator",
        organisation_id: coalitionId,
        password_hash: passwordHash,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (env.DEMO_API_TOKEN) {
      await trx
        .insertInto("api_tokens")
        .values({
          user_id: coordinator.id,
          name: "DEMO_API_TOKEN",
          token_hash: hashSecret(env.DEMO_API_TOKEN),
          token_prefix: env.DEMO_API_TOKEN.slice(0, 6),
        })
        .execute();
    }
    await trx.insertInto("audit_log").values({ action: "demo.seeded", subject_type: "user", subject_id: String(coordinator.id) }).execute();
  });
  return { seeded: true, coordinatorEmail: DEMO_COORDINATOR_EMAIL, generatedPassword };
}

/** What to tell the person who started the app or ran the seed. */
export function describeSeedOutcome(outcome: SeedOutcome): string {
  if (!outcome.seeded) return `Demo data not loaded: ${outcome.reason}.`;
  const lines = ["Demo data loaded."];
  if (outcome.generatedPassword) {
    lines.push(
      "",
      "Demo coordinator (demo only: change the password, or set DEMO_PASSWORD):",
      `  email:    ${outcome.coordinatorEmail}`,
      `  password: ${outcome.generatedPassword}`,
      "",
    );
  }
  return lines.join("\n");
}
