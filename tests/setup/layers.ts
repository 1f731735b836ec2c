// Reads the imports of the project's own code and holds them against the layers of
// docs/decisions/0012-layers.md. Kept apart from the test so the rule reads as a table.
import fs from "node:fs";
import path from "node:path";

/** From the top down: a file may import its own layer's folder or any layer below it. */
export const LAYERS = [
  { name: "entry", paths: ["server.ts", "cli.ts"] },
  { name: "routes", paths: ["app/routes/", "app/root.tsx", "app/entry.client.tsx", "app/entry.server.tsx"] },
  { name: "components", paths: ["app/components/"] },
  { name: "web", paths: ["app/web/"] },
  { name: "jobs", paths: ["app/jobs/"] },
  { name: "workflows", paths: ["app/workflows/"] },
  { name: "models", paths: ["app/models/"] },
  { name: "schemas", paths: ["app/schemas/"] },
  { name: "platform", paths: ["app/platform/"] },
  { name: "lib", paths: ["app/lib/"] },
  { name: "db", paths: ["db/"] },
] as const;

const ROOT = path.resolve(__dirname, "../..");
const SOURCE = /\.(ts|tsx|mjs)$/;
const MAX_LINES = 300;

export interface ImportGraph {
  files: string[];
  edges: { from: string; to: string }[];
  unresolved: string[];
}

export function layerOf(file: string): number | null {
  const i = LAYERS.findIndex((l) => l.paths.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)));
  return i === -1 ? null : i;
}

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return walk(rel);
    return SOURCE.test(e.name) && !e.name.endsWith(".d.ts") ? [rel] : [];
  });
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith("~/") ? path.posix.join("app", spec.slice(2)) : path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const ext of ["", ".ts", ".tsx", ".mjs", "/index.ts"]) {
    const candidate = base + ext;
    const full = path.join(ROOT, candidate);
    if (fs.existsSync(full) && fs.statSync(full).isFile()) return candidate;
  }
  return null;
}

// Static imports and re-exports (type-only ones too), and import("...") with a literal.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

export function readImports(): ImportGraph {
  const files = [...walk("app"), ...walk("db"), "server.ts", "cli.ts"].sort();
  const edges: ImportGraph["edges"] = [];
  const unresolved: string[] = [];
  for (const from of files) {
    const source = fs.readFileSync(path.join(ROOT, from), "utf8");
    for (const [, spec] of source.matchAll(IMPORT)) {
      if (!spec.startsWith(".") && !spec.startsWith("~/")) continue;
      const to = resolve(from, spec);
      if (!to) unresolved.push(`${from}: ${spec}`);
      else if (SOURCE.test(to)) edges.push({ from, to });
    }
  }
  return { files, edges, unresolved };
}

function findCycles(graph: ImportGraph): string[][] {
  // Tarjan's strongly connected components; any component of two or more files, or a
  // file importing itself, is a circle.
  const next = new Map<string, string[]>();
  for (const e of graph.edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of new Set([...graph.files, ...graph.edges.map((e) => e.from)])) if (!index.has(f)) visit(f);
  return cycles;
}

export function checkLayers(graph: ImportGraph) {
  const upward: string[] = [];
  for (const { from, to } of graph.edges) {
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === null || b === null) continue;
    if (b < a) upward.push(`${from} -> ${to} (${LAYERS[a].name} may not import ${LAYERS[b].name})`);
  }
  const tooLong = graph.files
    .filter((f) => f.startsWith("app/"))
    .map((f) => ({ f, lines: fs.readFileSync(path.join(ROOT, f), "utf8").split("\n").length }))
    .filter(({ lines }) => lines > MAX_LINES)
    .map(({ f, lines }) => `${f}: ${lines} lines`);
  return { upward, cycles: findCycles(graph), tooLong };
}
