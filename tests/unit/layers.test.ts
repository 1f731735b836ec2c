// The import rule of docs/decisions/0012-layers.md, checked on the code itself: every
// import runs down the layers (or stays inside its folder), no files import each other
// in a circle, and no file in app/ grows past 300 lines. Type-only imports count too:
// a type that has to climb up is a sign the code is in the wrong place.
import { describe, expect, it } from "vitest";
import { checkLayers, layerOf, readImports } from "../setup/layers";

describe("the layering rule", () => {
  const graph = readImports();

  it("reads the whole app (a check that saw nothing could not fail)", () => {
    expect(graph.files.length).toBeGreaterThan(150);
    expect(graph.edges.length).toBeGreaterThan(300);
    expect(graph.unresolved).toEqual([]);
  });

  it("knows the layer of every file", () => {
    expect(graph.files.filter((f) => layerOf(f) === null)).toEqual([]);
  });

  it("has no import that runs up a layer", () => {
    expect(checkLayers(graph).upward).toEqual([]);
  });

  it("has no files that import each other in a circle", () => {
    expect(checkLayers(graph).cycles).toEqual([]);
  });

  it("keeps every file in app/ under 300 lines", () => {
    expect(checkLayers(graph).tooLong).toEqual([]);
  });

  it("catches a climbing import and a circle when one is there", () => {
    const broken = {
      ...graph,
      edges: [...graph.edges, { from: "app/platform/db.server.ts", to: "app/models/letter.server.ts" }, { from: "app/models/letter.server.ts", to: "app/models/letter.server.ts" }],
    };
    const result = checkLayers(broken);
    expect(result.upward).toContain("app/platform/db.server.ts -> app/models/letter.server.ts (platform may not import models)");
    expect(result.cycles.length).toBeGreaterThan(0);
  });
});
