// npm run db:migrate | db:rollback | db:seed — reports each step, exits non-zero on failure.
import { loadEnv } from "../app/services/env.server";
import { migrateToLatest, openDatabase, rollbackOne } from "./connection";
import { seedIfEmpty } from "./seed/index";

const command = process.argv[2];
const env = loadEnv();
const db = openDatabase(env.DATABASE_PATH);
try {
  if (command === "migrate") {
    const results = await migrateToLatest(db, console.log);
    if (results.length === 0) console.log("Database is up to date.");
  } else if (command === "rollback") {
    const results = await rollbackOne(db, console.log);
    if (results.length === 0) console.log("Nothing to roll back.");
  } else if (command === "seed") {
    await migrateToLatest(db, console.log);
    const outcome = await seedIfEmpty(db, env);
    console.log(outcome.seeded ? "Demo data loaded." : `Not seeded: ${outcome.reason}`);
  } else {
    console.error("Usage: tsx db/cli.ts migrate|rollback|seed");
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`db ${command} failed:`, error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
