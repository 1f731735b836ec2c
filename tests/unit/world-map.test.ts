// The outreach world map: a standalone SVG document that must stay well-formed XML
// whatever the names contain, colour each listed state by its status and place every
// state in the seed data, small island states included.
import { DOMParser, type Document, type Element } from "@xmldom/xmldom";
import { describe, expect, it } from "vitest";
import file from "../../db/seed/countries.json";
import { OUTREACH_STATUS_COLOURS, OUTREACH_STATUSES, type OutreachStatus } from "../../app/lib/outreach-status";
import { getWorldMapGeometry } from "../../app/web/world-map-geometry.server";
import { canPlaceOnMap, MAP_NEUTRAL_FILL, renderOutreachMapSvg, type MapEntry } from "../../app/web/world-map.server";

const SVG_NS = "http://www.w3.org/2000/svg";

function entry(code: string, status: OutreachStatus = "not_started", extra: Partial<MapEntry> = {}): MapEntry {
  return { code, name: code, status, href: `/statements/demo/outreach#${code}`, title: `${code}: ${status}`, ...extra };
}

// A real XML parser: it throws on anything that is not well-formed. Its warnings (such
// as for the U+FFFD the renderer puts in place of characters XML forbids) are not errors.
function parse(svg: string): Document {
  return new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(svg, "image/svg+xml");
}

function links(doc: Document): Element[] {
  return Array.from(doc.getElementsByTagNameNS(SVG_NS, "a"));
}

function link(doc: Document, code: string): Element {
  const found = links(doc).find((a) => a.getAttribute("id") === code);
  if (!found) throw new Error(`no link for ${code}`);
  return found;
}

function shapesOf(a: Element): Element[] {
  return Array.from(a.childNodes).filter((n): n is Element => n.nodeType === 1 && ["path", "circle"].includes((n as Element).localName ?? ""));
}

describe("renderOutreachMapSvg", () => {
  it("is a standalone, scalable SVG image labelled by its title, with no script", () => {
    const svg = renderOutreachMapSvg([entry("NO", "sent")], { label: "Outreach for the joint statement" });
    expect(svg.startsWith(`<?xml version="1.0" encoding="UTF-8"?>`)).toBe(true);
    const doc = parse(svg);
    const root = doc.documentElement!;
    expect(root.localName).toBe("svg");
    expect(root.namespaceURI).toBe(SVG_NS);
    expect(root.getAttribute("role")).toBe("img");
    expect(root.getAttribute("viewBox")).toMatch(/^0 0 \d+ \d+$/);
    expect(root.hasAttribute("width")).toBe(false); // scales to its <object>
    const title = Array.from(root.childNodes).find((n) => n.nodeType === 1) as Element;
    expect(title.localName).toBe("title");
    expect(title.textContent).toBe("Outreach for the joint statement");
    expect(doc.getElementsByTagNameNS(SVG_NS, "script").length).toBe(0);
    expect(svg).not.toMatch(/<script|javascript:|\son[a-z]+=/i);
  });

  it("escapes names, titles, hrefs and the label, and keeps the document well-formed", () => {
    const nasty = `<script>alert("x")</script> & 'Ç' \r\nline\ttab \u0000\u0008 \uD800 ]]>`;
    const svg = renderOutreachMapSvg(
      [entry("NO", "sent", { name: nasty, title: `Norway: ${nasty}`, href: `/o?a=1&b="2"&c=<x>'` })],
      { label: `Map & <b>"label"</b>` },
    );
    expect(svg).not.toContain("<script");
    expect(svg).not.toContain("<b>");
    const doc = parse(svg);
    const a = link(doc, "NO");
    const replaced = nasty.replace(/[\u0000\u0008\uD800]/g, "\uFFFD"); // not allowed in XML at all
    expect(a.getAttribute("data-name")).toBe(replaced); // CRLF and tab survive in an attribute
    expect(a.getAttribute("href")).toBe(`/o?a=1&b="2"&c=<x>'`);
    const title = a.getElementsByTagNameNS(SVG_NS, "title")[0];
    expect(title.textContent).toBe(`Norway: ${replaced}`);
    expect(doc.getElementsByTagNameNS(SVG_NS, "title")[0].textContent).toBe(`Map & <b>"label"</b>`);
  });

  it("drops links that would run script", () => {
    for (const href of ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "data:text/html,<script>", "vbscript:x"]) {
      const doc = parse(renderOutreachMapSvg([entry("NO", "sent", { href })], { label: "m" }));
      const a = link(doc, "NO");
      expect(a.hasAttribute("href"), href).toBe(false);
      expect(a.getAttribute("data-status")).toBe("sent"); // still drawn in its colour
    }
    for (const href of ["/statements/x/outreach?country=NO", "https://example.org/a", "#NO", "mailto:a@example.org"]) {
      expect(link(parse(renderOutreachMapSvg([entry("NO", "sent", { href })], { label: "m" })), "NO").getAttribute("href")).toBe(href);
    }
  });

  it("links each listed state to its page, with its code and status, filled with the status colour", () => {
    const statuses = OUTREACH_STATUSES;
    const codes = ["NO", "FR", "BR", "ZA", "JP", "MT", "CK", "TV"];
    const doc = parse(renderOutreachMapSvg(codes.map((code, i) => entry(code, statuses[i])), { label: "m" }));
    expect(links(doc)).toHaveLength(codes.length);
    codes.forEach((code, i) => {
      const a = link(doc, code);
      expect(a.getAttribute("data-code")).toBe(code);
      expect(a.getAttribute("data-status")).toBe(statuses[i]);
      expect(a.getAttribute("href")).toBe(`/statements/demo/outreach#${code}`);
      expect(a.getAttribute("target")).toBe("_top");
      expect(a.getAttribute("tabindex")).toBe("-1"); // the table carries the same links for keyboards
      expect(a.getElementsByTagNameNS(SVG_NS, "title")[0].textContent).toBe(`${code}: ${statuses[i]}`);
      const drawn = shapesOf(a);
      expect(drawn.length, code).toBeGreaterThan(0);
      for (const shape of drawn) expect(shape.getAttribute("fill")).toBe(OUTREACH_STATUS_COLOURS[statuses[i]]);
    });
    // Norway and France are large shapes; Malta, the Cook Islands and Tuvalu are markers.
    expect(shapesOf(link(doc, "NO")).map((s) => s.localName)).toEqual(["path"]);
    for (const code of ["MT", "CK", "TV"]) expect(shapesOf(link(doc, code)).map((s) => s.localName)).toEqual(["circle"]);
  });

  it("draws every other country once, in neutral grey and without a link", () => {
    const doc = parse(renderOutreachMapSvg([entry("NO", "sent")], { label: "m" }));
    const paths = Array.from(doc.getElementsByTagNameNS(SVG_NS, "path"));
    const neutral = paths.filter((p) => p.getAttribute("fill") === MAP_NEUTRAL_FILL);
    expect(neutral).toHaveLength(1);
    expect(neutral[0].parentNode).toBe(doc.documentElement);
    expect((neutral[0].getAttribute("d") ?? "").length).toBeGreaterThan(50_000);
    expect(MAP_NEUTRAL_FILL).not.toBe(OUTREACH_STATUS_COLOURS.not_started);
  });

  it("places every state in the seed data, small island states included", () => {
    const countries = (file as { countries: Array<{ code: string; name: string }> }).countries;
    expect(countries.length).toBe(196);
    const statuses = OUTREACH_STATUSES;
    const svg = renderOutreachMapSvg(
      countries.map((c, i) => entry(c.code, statuses[i % statuses.length], { name: c.name })),
      { label: "All states" },
    );
    const doc = parse(svg);
    expect(doc.documentElement!.hasAttribute("data-unplaced")).toBe(false);
    const drawn = new Map(links(doc).map((a) => [a.getAttribute("data-code"), shapesOf(a).length]));
    const missing = countries.filter((c) => !drawn.get(c.code)).map((c) => c.code);
    expect(missing).toEqual([]);
    expect(countries.every((c) => canPlaceOnMap(c.code))).toBe(true);
    // Not timed as an assertion: printed for the record.
    const started = performance.now();
    renderOutreachMapSvg(countries.map((c) => entry(c.code, "sent", { name: c.name })), { label: "All states" });
    console.log(`world map, ${countries.length} states: ${(Buffer.byteLength(svg) / 1024).toFixed(1)} KB, warm render ${(performance.now() - started).toFixed(1)} ms`);
  });

  it("gives markers to neighbouring small states that do not overlap", () => {
    const caribbean = ["AG", "KN", "DM", "LC", "VC", "BB", "GD", "TT", "SM", "VA", "MC", "LI", "AD", "MT"];
    const doc = parse(renderOutreachMapSvg(caribbean.map((c) => entry(c, "sent")), { label: "m" }));
    const circles = Array.from(doc.getElementsByTagNameNS(SVG_NS, "circle")).map((c) => ({
      x: Number(c.getAttribute("cx")),
      y: Number(c.getAttribute("cy")),
      r: Number(c.getAttribute("r")),
    }));
    expect(circles).toHaveLength(caribbean.length);
    for (let i = 0; i < circles.length; i++)
      for (let j = i + 1; j < circles.length; j++)
        expect(Math.hypot(circles[i].x - circles[j].x, circles[i].y - circles[j].y)).toBeGreaterThanOrEqual(2 * circles[i].r);
  });

  it("leaves out codes it cannot place, lists them, and takes the first entry of a repeated code", () => {
    const doc = parse(
      renderOutreachMapSvg([entry("NO", "sent"), entry("XX", "sent"), entry("no", "failed"), entry("ZZ\"<", "sent")], { label: "m" }),
    );
    expect(links(doc).map((a) => a.getAttribute("id"))).toEqual(["NO"]);
    expect(link(doc, "NO").getAttribute("data-status")).toBe("sent");
    expect(doc.documentElement!.getAttribute("data-unplaced")).toBe(`XX ZZ"<`);
    expect(canPlaceOnMap("XX")).toBe(false);
    expect(canPlaceOnMap("no")).toBe(true);
  });

  it("shows a legend of the statuses present, with counts", () => {
    const svg = renderOutreachMapSvg([entry("NO", "sent"), entry("SE", "sent"), entry("FI", "replied")], { label: "m" });
    const texts = Array.from(parse(svg).getElementsByTagNameNS(SVG_NS, "text")).map((t) => t.textContent);
    expect(texts).toEqual(["Replied (1)", "Sent (2)", "Not listed"]);
    expect(Array.from(parse(renderOutreachMapSvg([], { label: "m" })).getElementsByTagNameNS(SVG_NS, "text"))).toHaveLength(0);
  });

  it("builds the projected geometry once per process", () => {
    const first = getWorldMapGeometry();
    renderOutreachMapSvg([entry("NO", "sent")], { label: "m" });
    expect(getWorldMapGeometry()).toBe(first);
    // Rendering nudges markers apart on copies, never on the shared geometry.
    const before = JSON.stringify([...first.markers.values()]);
    renderOutreachMapSvg(["AG", "KN", "DM", "LC"].map((c) => entry(c, "sent")), { label: "m" });
    expect(JSON.stringify([...first.markers.values()])).toBe(before);
    // Cyprus includes the north and Somalia includes Somaliland, as the UN counts them.
    // In 1:110m each of the four is one ring, so each state's path has two.
    for (const code of ["CY", "SO"]) expect(first.shapes.find((s) => s.code === code)!.d.match(/M/g)).toHaveLength(2);
    expect(first.uncoded.match(/M/g)).toHaveLength(1); // Kosovo alone
  });
});
