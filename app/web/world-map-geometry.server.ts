// The projected world map behind renderOutreachMapSvg, built once per process: the
// outreach board is rendered often, the geography never changes while we run.
//
// Shapes come from Natural Earth 1:110m (world-atlas), small enough to inline in every
// response. That scale drops 30 states (most of them small island states parties) and
// shrinks a few more to a speck, so those also get a circle marker placed at their
// centroid in the 1:10m file, the only one of the three scales that has all 196 states
// in db/seed/countries.json (1:50m lacks Tuvalu).
import fs from "node:fs";
import { createRequire } from "node:module";
import { geoCentroid, geoEqualEarth, geoPath } from "d3-geo";
import type { Feature, FeatureCollection, Geometry } from "geojson";
import iso from "i18n-iso-countries";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";

const MAP_WIDTH = 960;
export const MARKER_RADIUS = 3.5;
/** Shapes smaller than this many square viewBox units also get a marker. */
const TINY_AREA = 10;

interface MapShape {
  code: string;
  /** SVG path data; several Natural Earth features may share one code. */
  d: string;
}
export interface MapMarker {
  code: string;
  /** The projected centroid; the renderer may nudge markers apart. */
  x: number;
  y: number;
}
interface WorldMapGeometry {
  width: number;
  height: number;
  /** Features with an ISO code, in a stable order. */
  shapes: MapShape[];
  /** Land with no ISO 3166-1 code of its own (Kosovo), always drawn neutral. */
  uncoded: string;
  markers: Map<string, MapMarker>;
  /** Every alpha-2 code that can be drawn, as a shape, a marker or both. */
  codes: ReadonlySet<string>;
}

// Natural Earth draws these de facto entities apart with no ISO code. The UN and the
// Rome Statute count their territory as part of these states parties, so they take
// the state's colour rather than leaving a grey hole inside it. Kosovo has no UN seat,
// is no state party and is in no seed data: it stays neutral.
const PART_OF: Record<string, string> = { "N. Cyprus": "CY", Somaliland: "SO" };
// Antarctica is no state; dropping it leaves room for the legend and a larger map.
const OMITTED = new Set(["AQ"]);

type CountryProps = { name: string };
type Countries = Topology<{ countries: GeometryCollection<CountryProps> }>;

const resolve = createRequire(import.meta.url).resolve;
function loadAtlas(scale: "110m" | "10m"): Countries {
  // Read rather than imported or required: the server bundle leaves node_modules
  // outside (Node's ESM loader would want an import attribute for JSON), and require
  // would keep the 3.6 MB 1:10m topology in its cache for the life of the process.
  return JSON.parse(fs.readFileSync(resolve(`world-atlas/countries-${scale}.json`), "utf8")) as Countries;
}

function codeOf(f: Feature<Geometry | null, CountryProps>): string | undefined {
  if (f.id !== undefined) return iso.numericToAlpha2(String(f.id));
  return PART_OF[f.properties.name];
}

// On globalThis: server.ts builds it at start, and the Remix build (its own copy of this
// module) must find it there rather than build it again on the first board view.
const key = Symbol.for("demarche.worldMapGeometry");
type Holder = { [key]?: WorldMapGeometry };
export function getWorldMapGeometry(): WorldMapGeometry {
  const holder = globalThis as Holder;
  return (holder[key] ??= buildGeometry());
}

function buildGeometry(): WorldMapGeometry {
  const atlas = loadAtlas("110m");
  const all = feature(atlas, atlas.objects.countries) as FeatureCollection<Geometry, CountryProps>;
  const kept = all.features.filter((f) => !OMITTED.has(codeOf(f) ?? ""));
  const land: FeatureCollection<Geometry, CountryProps> = { type: "FeatureCollection", features: kept };
  // A 2-unit margin all round so border strokes at the edges are not cut off.
  const projection = geoEqualEarth().fitWidth(MAP_WIDTH - 4, land);
  const path = geoPath(projection).digits(1);
  const [[left, top], [, bottom]] = path.bounds(land);
  const [tx, ty] = projection.translate();
  projection.translate([tx - left + 2, ty - top + 2]);
  const height = Math.ceil(bottom - top + 4);

  const byCode = new Map<string, string>();
  const area = new Map<string, number>();
  let uncoded = "";
  for (const f of kept) {
    const code = codeOf(f);
    const d = path(f) ?? "";
    if (!code) {
      uncoded += d;
      continue;
    }
    byCode.set(code, (byCode.get(code) ?? "") + d);
    area.set(code, (area.get(code) ?? 0) + path.area(f));
  }

  // Markers for every state 1:10m knows that 1:110m lacks or shows as a speck.
  const fine = loadAtlas("10m");
  const wanted = fine.objects.countries.geometries.filter((g) => {
    const code = g.id !== undefined ? iso.numericToAlpha2(String(g.id)) : undefined;
    return code && !OMITTED.has(code) && (area.get(code) ?? 0) < TINY_AREA;
  });
  const detailed = feature(fine, { type: "GeometryCollection", geometries: wanted }) as FeatureCollection<Geometry, CountryProps>;
  const markers: MapMarker[] = [];
  for (const f of detailed.features) {
    const point = projection(geoCentroid(f));
    if (point) markers.push({ code: iso.numericToAlpha2(String(f.id))!, x: point[0], y: point[1] });
  }

  return {
    width: MAP_WIDTH,
    height,
    shapes: [...byCode].map(([code, d]) => ({ code, d })),
    uncoded,
    markers: new Map(markers.map((m) => [m.code, m])),
    codes: new Set([...byCode.keys(), ...markers.map((m) => m.code)]),
  };
}
