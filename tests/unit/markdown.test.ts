import { expect, it } from "vitest";
import { renderInlineMarkdown, renderMarkdown } from "~/platform/markdown.server";

it("renders Markdown but shows raw HTML and script as text", () => {
  const html = renderMarkdown("Hello **world**\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>");
  expect(html).toContain("<strong>world</strong>");
  expect(html).not.toContain("<script>");
  expect(html).not.toContain("<img");
  expect(html).toContain("&lt;script&gt;");
});

it("drops javascript: links and marks others nofollow", () => {
  expect(renderMarkdown("[x](javascript:alert(1))")).not.toContain("href=\"javascript");
  expect(renderMarkdown("[ICC](https://www.icc-cpi.int)")).toContain('rel="nofollow noopener noreferrer"');
  expect(renderInlineMarkdown("**Publicly condemn** sanctions")).toBe("<strong>Publicly condemn</strong> sanctions");
});

it("shows a remote image as a link, never as an <img> a browser would fetch", () => {
  for (const src of ["https://tracker.example/p.gif", "http://tracker.example/p.gif", "//tracker.example/p.gif"]) {
    const html = renderMarkdown(`Before ![pixel "x"](${src}) after`);
    expect(html, src).not.toMatch(/<img/i);
    if (!src.startsWith("//")) expect(html, src).toContain(`<a href="${src}" rel="nofollow noopener noreferrer" class="remote-image">Image: pixel &quot;x&quot; (tracker.example)</a>`);
  }
  expect(renderInlineMarkdown("![](https://tracker.example/p.gif)")).not.toContain("<img");
});

it("keeps images served by the app itself", () => {
  expect(renderMarkdown("![Logo](/images/logo.png)")).toContain('<img src="/images/logo.png" alt="Logo" loading="lazy">');
});
