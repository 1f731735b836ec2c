// Statement bodies are Markdown written by coordinators and shown to the public.
// markdown-it with `html: false` escapes any raw HTML as text; links are limited to
// http(s) and mailto by its validateLink, and open without handing over our page.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });
const SAFE_LINK = /^(https?:|mailto:|#|\/(?!\/))/i;
md.validateLink = (url) => SAFE_LINK.test(url.trim());

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet("rel", "nofollow noopener noreferrer");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** One line of inline Markdown (a demand point: **bold** lead-ins), without a <p>. */
export function renderInlineMarkdown(source: string): string {
  return md.renderInline(source);
}

/** The tokens of the same Markdown, for the plain-text letters (one parser, one set of rules). */
export const parseMarkdown = (source: string) => md.parse(source, {});
export const parseInlineMarkdown = (source: string) => md.parseInline(source, {});
