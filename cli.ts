// npm run db:migrate | db:rollback | db:seed — reports each step, exits non-zero on failure.
import { EnvError, loadEnv, type Env } from "./app/platform/env.server";
import { migrateToLatest, openDatabase, rollbackOne } from "./db/connection";
import { describeSeedOutcome, seedIfEmpty } from "./app/workflows/seed/index.server";

const command = process.argv[2];
let env: Env;
try {
  env = loadEnv();
} catch (error) {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
}
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
    console.log(describeSeedOutcome(await seedIfEmpty(db, env)));
  } else {
    console.error("Usage: tsx cli.ts migrate|rollback|seed");
    process.exitCode = 2;
  }
} catch (error) {
  console.error(`db ${command} failed:`, error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
