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
