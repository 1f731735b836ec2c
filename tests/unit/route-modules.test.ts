// Route modules also run in the browser, where every .server import is an empty module.
// A loader or action built by calling a server helper at the top level
// (`export const loader = answering(...)`) is kept in the browser build unless the call
// is marked pure, and then throws as the module loads: client navigation to that page
// breaks. This reads every route, and the built browser bundles, for such calls.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const routes = fs.readdirSync("app/routes").map((f) => path.join("app/routes", f));

describe("route modules in the browser", () => {
  it("mark every top-level answering(...) call pure", () => {
    const unmarked = routes.flatMap((file) =>
      fs.readFileSync(file, "utf8").split("\n").flatMap((line, i) =>
        /^export const (loader|action) = (?!\/\* @__PURE__ \*\/ )\w+\(/.test(line) ? [`${file}:${i + 1}: ${line.trim()}`] : [],
      ),
    );
    expect(unmarked).toEqual([]);
  });

  it("finds the rule's pattern when it is broken (a check that saw nothing could not fail)", () => {
    expect(/^export const (loader|action) = (?!\/\* @__PURE__ \*\/ )\w+\(/.test("export const loader = answering(async () => {")).toBe(true);
    expect(routes.filter((f) => /@__PURE__ \*\/ answering\(/.test(fs.readFileSync(f, "utf8"))).length).toBeGreaterThan(20);
  });

  it("leave no server helper in the built browser bundles", (ctx) => {
    const dir = "public/build/routes";
    if (!fs.existsSync(dir)) return ctx.skip(); // npm test builds first; a bare vitest run may not have
    const leaking = fs.readdirSync(dir).filter((f) => /\banswering\b/.test(fs.readFileSync(path.join(dir, f), "utf8")));
    expect(leaking).toEqual([]);
  });
});
