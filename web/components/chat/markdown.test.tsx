import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown";

const render = (text: string) => renderToStaticMarkup(<Markdown text={text} />);

describe("Markdown", () => {
  it("renders a GFM table inside a horizontally scrollable wrapper", () => {
    const html = render("| tool | runs |\n| :--- | ---: |\n| fetch | 3 |\n");
    expect(html).toContain('<div class="my-2 overflow-x-auto"><table');
    expect(html).toMatch(/<th[^>]*>tool<\/th>/);
    expect(html).toMatch(/<td[^>]*style="text-align:right"[^>]*>3<\/td>/);
  });

  it("renders a fenced code block as monospace, scrollable code with its language and a copy button", () => {
    const html = render("Run:\n\n```ts\nconst a = 1 < 2;\n```\n");
    expect(html).toContain('<span class="font-mono">ts</span>');
    expect(html).toContain('aria-label="Copy code"');
    expect(html).toMatch(
      /<pre class="[^"]*overflow-x-auto[^"]*font-mono[^"]*"><code>const a = 1 &lt; 2;<\/code><\/pre>/,
    );
  });

  it("styles inline code apart from code blocks", () => {
    const html = render("Call `run()` now.");
    expect(html).toMatch(/<code class="[^"]*font-mono[^"]*">run\(\)<\/code>/);
    expect(html).not.toContain("<pre");
  });

  it("opens links in a new tab without an opener or referrer", () => {
    const html = render("See [the docs](https://example.com/docs) and https://example.org.");
    expect(html).toMatch(
      /<a href="https:\/\/example.com\/docs" class="[^"]*" target="_blank" rel="noopener noreferrer">the docs<\/a>/,
    );
    // GFM autolink literal
    expect(html).toContain('href="https://example.org"');
  });

  it("renders headings, lists, emphasis, blockquotes and task lists", () => {
    const html = render("## Plan\n\n- **bold** and *em* and ~~gone~~\n- [x] done\n\n1. one\n\n> quoted");
    expect(html).toMatch(/<h2[^>]*>Plan<\/h2>/);
    expect(html).toContain("<strong>bold</strong>");
    expect(html).toContain("<em>em</em>");
    expect(html).toContain("<del>gone</del>");
    expect(html).toMatch(/<ul class="[^"]*list-disc[^"]*">\s*<li class="[^"]*">.*<\/li>/);
    expect(html).toMatch(/<ol class="[^"]*list-decimal[^"]*">\s*<li[^>]*>one<\/li>\s*<\/ol>/);
    expect(html).toMatch(
      /<li class="[^"]*list-none[^"]*"><input [^>]*type="checkbox" disabled="" checked=""\/> done/,
    );
    expect(html).toMatch(/<blockquote[^>]*>\s*<p[^>]*>quoted<\/p>\s*<\/blockquote>/);
  });

  it("escapes raw HTML in model text instead of rendering it", () => {
    const html = render(
      'Hi <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n<div onclick="x()">block</div>',
    );
    expect(html).not.toMatch(/<script|<img|<div onclick/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(2)&quot;&gt;");
  });

  it("neutralises javascript: and data: links, keeping their text", () => {
    const html = render(
      "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](mailto:a@b.c)",
    );
    expect(html).not.toMatch(/javascript:|data:text/);
    expect(html).toContain("<span>click</span>");
    expect(html).toContain("<span>data</span>");
    expect(html).toContain('href="mailto:a@b.c"');
  });

  it("shows images as links to click instead of fetching them", () => {
    const html = render("![a chart](https://tracker.example/pixel.png?q=secret) ![x](javascript:alert(1))");
    expect(html).not.toContain("<img");
    expect(html).toMatch(
      /<a href="https:\/\/tracker.example\/pixel.png\?q=secret"[^>]*rel="noopener noreferrer"/,
    );
    expect(html).toContain("a chart</a>");
    expect(html).not.toContain("javascript:");
  });

  it("renders a reply cut off mid-stream inside a code fence, table or link without throwing", () => {
    const reply =
      "Here:\n\n```python\nfor i in range(3):\n    print(i)\n```\n\n| a | b |\n| - | - |\n| 1 | [li";
    for (let end = 0; end <= reply.length; end++) {
      expect(() => render(reply.slice(0, end))).not.toThrow();
    }
    expect(render("```python\nfor i in range(3):\n  pri")).toContain(
      "<code>for i in range(3):\n  pri</code>",
    );
  });
});
