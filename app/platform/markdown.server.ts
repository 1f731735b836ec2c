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

// An image from elsewhere would be fetched by every reader's browser (and by mail
// clients): a tracking pixel anyone with edit rights could plant. Only images served by
// this app (a path on our own origin) are shown; any other becomes a link to it.
const OWN_IMAGE = /^\/(?!\/)/;
md.renderer.rules.image = (tokens, idx, options, _env, self) => {
  const token = tokens[idx];
  const src = String(token.attrGet("src") ?? "");
  const alt = self.renderInlineAsText(token.children ?? [], options, _env);
  if (OWN_IMAGE.test(src)) {
    token.attrSet("alt", alt);
    token.attrSet("loading", "lazy");
    return self.renderToken(tokens, idx, options);
  }
  let host = "";
  try {
    host = new URL(src).host;
  } catch {
    // not an absolute URL: the link alone says enough
  }
  const label = md.utils.escapeHtml(`${alt ? `Image: ${alt}` : "Image"}${host ? ` (${host})` : ""}`);
  return `<a href="${md.utils.escapeHtml(src)}" rel="nofollow noopener noreferrer" class="remote-image">${label}</a>`;
};

/** Markdown to HTML that is safe to insert into a page. */
export function renderMarkdown(source: string): string {
  return md.render(source);
}

/** One line of inline Markdown (a demand point: **bold** lead-ins), without a <p>. */
export function renderInlineMarkdown(source: string): string {
  return md.renderInline(source);
}

// The tokens of the same Markdown, for the plain-text letters (one parser, one set of rules).
const parseMarkdown = (source: string) => md.parse(source, {});
const parseInlineMarkdown = (source: string) => md.parseInline(source, {});

// Plain text from the same Markdown: emphasis marks dropped, links as "label (url)",
// list items as "- ". The public renderer's own parser, so both read the same source alike.
type Token = ReturnType<typeof parseMarkdown>[number];

function inlineText(tokens: Token[] | null): string {
  let out = "";
  const links: { start: number; href: string }[] = [];
  for (const t of tokens ?? []) {
    if (t.type === "text" || t.type === "code_inline") out += t.content;
    else if (t.type === "softbreak") out += " ";
    else if (t.type === "hardbreak") out += "\n";
    else if (t.type === "image") out += t.content;
    else if (t.type === "link_open") links.push({ start: out.length, href: String(t.attrGet("href") ?? "") });
    else if (t.type === "link_close") {
      const link = links.pop();
      const label = link ? out.slice(link.start) : "";
      // An address that is its own label, or a jump within the page, adds nothing on paper.
      if (link && link.href && !link.href.startsWith("#") && link.href !== label && link.href !== `mailto:${label}`) out += ` (${link.href})`;
    }
  }
  return out;
}

export function inlineMarkdownToPlainText(source: string): string {
  return inlineText(parseInlineMarkdown(source)[0]?.children ?? null).trim();
}

export function markdownToPlainText(source: string): string {
  const blocks: { text: string; inList: boolean; newList: boolean }[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let marker = "";
  let newList = false;
  for (const t of parseMarkdown(source)) {
    if (t.type === "bullet_list_open" || t.type === "ordered_list_open") {
      newList ||= lists.length === 0;
      lists.push({ ordered: t.type === "ordered_list_open", n: Number(t.attrGet("start") ?? 1) - 1 });
    } else if (t.type === "bullet_list_close" || t.type === "ordered_list_close") {
      lists.pop();
    } else if (t.type === "list_item_open") {
      const list = lists[lists.length - 1];
      list.n += 1;
      marker = list.ordered ? `${list.n}. ` : "- ";
    } else if (t.type === "inline" || t.type === "fence" || t.type === "code_block") {
      const text = t.type === "inline" ? inlineText(t.children) : t.content.trimEnd();
      const indent = "  ".repeat(Math.max(0, lists.length - 1));
      const lead = lists.length ? indent + (marker || "  ") : "";
      blocks.push({ text: lead + text.replace(/\n/g, `\n${" ".repeat(lead.length)}`), inList: lists.length > 0, newList });
      marker = "";
      newList = false;
    }
  }
  // Items of one list go on consecutive lines; everything else is a paragraph of its own.
  return blocks.map((b, i) => (i === 0 ? "" : b.inList && !b.newList && blocks[i - 1].inList ? "\n" : "\n\n") + b.text).join("");
}

