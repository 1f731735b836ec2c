// Runs before every test file: each file gets its own SQLite file and the mail
// sandbox, so files never share state and nothing can be sent out.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demarche-test-"));
process.env.DATABASE_PATH = path.join(dir, "test.sqlite");
process.env.NODE_ENV = "test";
process.env.SESSION_SECRET = "test-session-secret-which-is-long-enough-0123456789";
process.env.BASE_URL = "http://127.0.0.1:3000";
process.env.MAIL_FROM = "demarche@example.org";
delete process.env.SMTP_URL;
delete process.env.DEMO_PASSWORD;
delete process.env.DEMO_API_TOKEN;
