// A sending worker in a process of its own, for the crash test: the test starts it,
// kills it with SIGKILL mid-batch, and starts it again. Reads DATABASE_PATH, SMTP_URL
// and MAIL_FROM from the environment, like the app; prints "ready" once running. It
// keeps 20 messages in flight over the pool's 5 connections, so most wait for a connection.
import { getDb } from "../../app/platform/db.server";
import { startDispatchWorker } from "../../app/jobs/dispatch-worker.server";

const db = getDb();
startDispatchWorker(db, { ratePerMinute: 0, concurrency: 20, pollMs: 20, retryBaseMs: 50, log: (line) => console.log(line) });
console.log("ready");
// Runs until killed.
setInterval(() => undefined, 1 << 30);
