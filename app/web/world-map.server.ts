// The outreach world map: a standalone SVG document drawn on the server, so the map
// works without JavaScript (served as image/svg+xml, embedded with <object>, its
// links open in the page with target="_top"). Geometry: world-map-geometry.server.ts.
import {
  OUTREACH_STATUS_COLOURS,
  OUTREACH_STATUS_LABELS,
  OUTREACH_STATUSES,
  type OutreachStatus,
} from "~/lib/outreach-status";
import { getWorldMapGeometry, MARKER_RADIUS, type MapMarker } from "~/web/world-map-geometry.server";

export interface MapEntry {
  /** ISO 3166-1 alpha-2, e.g. "NO". */
  code: string;
  name: string;
  status: OutreachStatus;
  href: string;
  /** Tooltip text and accessible name, e.g. "Norway: sent 2025-01-14 by Norwegian Helsinki Committee". */
  title: string;
}

/** Land of states not in the entries: lighter than "not started" so the two stay apart. */
export const MAP_NEUTRAL_FILL = "#F4F4F4";
const LEGEND_TOP_GAP = 6;
const LEGEND_ROW = 16;
const LEGEND_ROWS = 2;
const FONT_SIZE = 10;

/** The SVG's viewBox size, for the page to reserve the map's aspect ratio before it loads. */
export function outreachMapViewBox(): { width: number; height: number } {
  const geo = getWorldMapGeometry();
  return { width: geo.width, height: geo.height + LEGEND_TOP_GAP + LEGEND_ROWS * LEGEND_ROW };
}

/** Whether a state can be drawn; entries with other codes are left off the map and listed in the SVG's data-unplaced. */
export function canPlaceOnMap(code: string): boolean {
  return getWorldMapGeometry().codes.has(code.toUpperCase());
}

export function renderOutreachMapSvg(entries: MapEntry[], options: { label: string }): string {
  const geo = getWorldMapGeometry();
  const { width, height } = outreachMapViewBox();
  const byCode = new Map<string, MapEntry>();
  const unplaced: string[] = [];
  for (const entry of entries) {
    const code = entry.code.toUpperCase();
    if (!geo.codes.has(code)) unplaced.push(entry.code);
    else if (!byCode.has(code)) byCode.set(code, entry);
  }

  let neutral = geo.uncoded;
  const shapes = new Map<string, string>();
  for (const shape of geo.shapes) {
    if (byCode.has(shape.code)) shapes.set(shape.code, shape.d);
    else neutral += shape.d;
  }
  const markers = spreadMarkers(
    [...byCode.keys()].flatMap((code) => {
      const m = geo.markers.get(code);
      return m ? [{ ...m }] : [];
    }),
    geo.width,
    geo.height,
  );

  const out: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img"` +
      (unplaced.length ? ` data-unplaced="${xml(unplaced.join(" "))}"` : "") +
      `>`,
    `<title>${xml(options.label)}</title>`,
    `<style>` +
      `path{stroke:#8C8C8C;stroke-width:.35;stroke-linejoin:round}` +
      `circle{stroke:#333;stroke-width:.6}` +
      `a:hover>path,a:focus>path,a:hover>circle,a:focus>circle{stroke:#000;stroke-width:1.2}` +
      `text{font:${FONT_SIZE}px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;fill:#222}` +
      `</style>`,
    `<path fill="${MAP_NEUTRAL_FILL}" d="${neutral}"/>`,
  ];
  // States with a marker come last, so no neighbouring shape covers their circle.
  const ordered = [...byCode.values()].sort((a, b) => Number(markers.has(a.code.toUpperCase())) - Number(markers.has(b.code.toUpperCase())));
  for (const entry of ordered) {
    const code = entry.code.toUpperCase();
    const fill = OUTREACH_STATUS_COLOURS[entry.status] ?? OUTREACH_STATUS_COLOURS.not_started;
    const href = safeHref(entry.href);
    const d = shapes.get(code);
    const marker = markers.get(code);
    out.push(
      `<a id="${xml(code)}" data-code="${xml(code)}" data-status="${xml(entry.status)}" data-name="${xml(entry.name)}"` +
        // Out of the tab order: the board's table has the same links, and 125 stops inside
        // the map would stand between a keyboard user and that table.
        (href === undefined ? "" : ` href="${xml(href)}" target="_top" tabindex="-1"`) +
        `><title>${xml(entry.title || entry.name)}</title>` +
        (d ? `<path fill="${fill}" d="${d}"/>` : "") +
        (marker ? `<circle cx="${marker.x}" cy="${marker.y}" r="${MARKER_RADIUS}" fill="${fill}"/>` : "") +
        `</a>`,
    );
  }
  out.push(legend([...byCode.values()], geo.width, geo.height + LEGEND_TOP_GAP), `</svg>`);
  return out.join("\n");
}

// A compact key of the statuses shown, with counts; the page has the full HTML legend.
function legend(entries: MapEntry[], width: number, top: number): string {
  if (entries.length === 0) return "";
  const counts = new Map<OutreachStatus, number>();
  for (const e of entries) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const items: Array<[string, string]> = OUTREACH_STATUSES.filter((s) => counts.has(s)).map((s) => [
    OUTREACH_STATUS_COLOURS[s],
    `${OUTREACH_STATUS_LABELS[s]} (${counts.get(s)})`,
  ]);
  items.push([MAP_NEUTRAL_FILL, "Not listed"]);
  const parts: string[] = [`<g aria-hidden="true">`];
  let x = 4;
  let row = 0;
  for (const [fill, label] of items) {
    // No text measuring on the server: an average glyph width of a sans-serif face,
    // slightly generous, keeps items apart.
    const itemWidth = Math.round(17 + label.length * FONT_SIZE * 0.56 + 12);
    if (x + itemWidth > width && x > 4 && row < LEGEND_ROWS - 1) [x, row] = [4, row + 1];
    const y = top + row * LEGEND_ROW;
    parts.push(
      `<rect x="${x}" y="${y + 1}" width="12" height="10" fill="${fill}" stroke="#8C8C8C" stroke-width=".5"/>` +
        `<text x="${x + 17}" y="${y + 10}">${xml(label)}</text>`,
    );
    x += itemWidth;
  }
  parts.push(`</g>`);
  return parts.join("");
}

// Neighbouring small states (the Lesser Antilles; San Marino and the Holy See) would
// stack their markers into one dot that only the top one can be clicked through: push
// overlapping markers apart a little, keeping them inside the map.
function spreadMarkers(markers: MapMarker[], width: number, height: number): Map<string, MapMarker> {
  const gap = 2 * MARKER_RADIUS + 1;
  for (let round = 0; round < 50; round++) {
    let moved = false;
    for (let i = 0; i < markers.length; i++) {
      for (let j = i + 1; j < markers.length; j++) {
        const a = markers[i];
        const b = markers[j];
        let [dx, dy] = [b.x - a.x, b.y - a.y];
        let dist = Math.hypot(dx, dy);
        if (dist >= gap) continue;
        if (dist === 0) [dx, dy, dist] = [1, 0, 1];
        const push = (gap - dist) / 2 / dist;
        a.x -= dx * push;
        a.y -= dy * push;
        b.x += dx * push;
        b.y += dy * push;
        moved = true;
      }
    }
    if (!moved) break;
  }
  const inset = MARKER_RADIUS + 1;
  const clampRound = (v: number, max: number) => Math.round(Math.min(max - inset, Math.max(inset, v)) * 10) / 10;
  return new Map(markers.map((m) => [m.code, { code: m.code, x: clampRound(m.x, width), y: clampRound(m.y, height) }]));
}

// No scripts in the map: a javascript: (or data:, vbscript:) link would be one. Browsers
// ignore whitespace and control characters inside a scheme, so the check does too.
function safeHref(href: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href.replace(/[\u0000-\u0020\u007F]/g, ""));
  return !scheme || ["http", "https", "mailto"].includes(scheme[1].toLowerCase()) ? href : undefined;
}

// Characters XML 1.0 forbids (C0 controls but tab, LF, CR; U+FFFE/FFFF; lone surrogates)
// would make the whole document unreadable, so they become U+FFFD. Line breaks and tabs
// are written as references so attribute values keep them (and CRLF stays CRLF).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
function xml(text: string): string {
  return String(text).replace(NOT_XML, "\uFFFD").replace(/[&<>"'\t\n\r]/g, (c) => ENTITIES[c]);
}
