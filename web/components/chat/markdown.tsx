"use client";
import { ImageIcon } from "lucide-react";
import { type ComponentProps, memo, useRef } from "react";
import ReactMarkdown, { type Components, type ExtraProps } from "react-markdown";
import remarkGfm from "remark-gfm";
import { cn } from "../../lib/cn";
import { CopyButton } from "../ui/copy-button";

type HastElement = NonNullable<ExtraProps["node"]>;
type HastContent = HastElement["children"][number];

/** The text under a syntax-tree node, as written (code blocks keep their whitespace). */
function textOf(node: HastContent): string {
  if (node.type === "text") return node.value;
  if (node.type === "element") return node.children.map(textOf).join("");
  return "";
}

/** A fenced block's code and language (`language-ts` class from ```ts) from its `<pre>` node. */
export function codeBlockOf(pre: HastElement | undefined): { code: string; language: string | undefined } {
  const code = pre?.children.find(
    (child): child is HastElement => child.type === "element" && child.tagName === "code",
  );
  if (!code) return { code: "", language: undefined };
  const classNames = code.properties.className;
  const language = Array.isArray(classNames)
    ? classNames.map(String).find((name) => name.startsWith("language-"))
    : undefined;
  // The fence's closing newline belongs to the syntax, not to the code a reader copies.
  return { code: textOf(code).replace(/\n$/, ""), language: language?.slice("language-".length) };
}

function CodeBlock({ code, language }: { code: string; language: string | undefined }) {
  const codeElement = useRef<HTMLElement>(null);

  return (
    <div className="my-2 overflow-hidden rounded-md border bg-muted/60">
      <div className="flex items-center justify-between border-b pr-1 pl-3 text-muted-foreground text-xs">
        <span className="font-mono">{language ?? "text"}</span>
        <CopyButton
          value={code}
          select={codeElement}
          variant="ghost"
          size="sm"
          className="h-7 px-2"
          aria-label="Copy code"
        />
      </div>
      <pre className="overflow-x-auto p-3 font-mono text-xs leading-relaxed">
        <code ref={codeElement}>{code}</code>
      </pre>
    </div>
  );
}

const isInPage = (href: string) => href.startsWith("#");

// Module-level so every render passes the same components: React keeps the DOM while a reply streams.
const COMPONENTS: Components = {
  h1: ({ node, className, ...props }) => (
    <h1 className={cn("mt-4 mb-2 font-semibold text-lg", className)} {...props} />
  ),
  h2: ({ node, className, ...props }) => (
    <h2 className={cn("mt-4 mb-2 font-semibold text-base", className)} {...props} />
  ),
  h3: ({ node, className, ...props }) => (
    <h3 className={cn("mt-3 mb-1 font-semibold", className)} {...props} />
  ),
  h4: ({ node, className, ...props }) => (
    <h4 className={cn("mt-3 mb-1 font-semibold", className)} {...props} />
  ),
  h5: ({ node, className, ...props }) => <h5 className={cn("mt-3 mb-1 font-medium", className)} {...props} />,
  h6: ({ node, className, ...props }) => (
    <h6 className={cn("mt-3 mb-1 font-medium text-muted-foreground", className)} {...props} />
  ),
  p: ({ node, className, ...props }) => <p className={cn("my-2 leading-relaxed", className)} {...props} />,
  ul: ({ node, className, ...props }) => <ul className={cn("my-2 list-disc pl-5", className)} {...props} />,
  ol: ({ node, className, ...props }) => (
    <ol className={cn("my-2 list-decimal pl-5", className)} {...props} />
  ),
  // remark-gfm marks task items; their checkbox stands where the bullet would.
  li: ({ node, className, ...props }) => (
    <li
      className={cn(
        "my-1 [&>ol]:my-1 [&>p]:my-1 [&>ul]:my-1",
        className?.includes("task-list-item") && "-ml-5 list-none",
        className,
      )}
      {...props}
    />
  ),
  input: ({ node, className, ...props }) => (
    <input className={cn("mr-1.5 align-middle", className)} {...props} />
  ),
  blockquote: ({ node, className, ...props }) => (
    <blockquote className={cn("my-2 border-l-2 pl-3 text-muted-foreground", className)} {...props} />
  ),
  hr: ({ node, className, ...props }) => <hr className={cn("my-4", className)} {...props} />,
  // Unsafe URLs (javascript:, data:…) arrive as "" from react-markdown's defaultUrlTransform: plain text then.
  a: ({ node, className, href, children, ...props }) =>
    href ? (
      <a
        href={href}
        className={cn(
          "break-words text-primary underline underline-offset-2 hover:text-primary/80",
          className,
        )}
        {...(isInPage(href) ? {} : { target: "_blank", rel: "noopener noreferrer" })}
        {...props}
      >
        {children}
      </a>
    ) : (
      <span className={className}>{children}</span>
    ),
  // Images become links: fetching a model-chosen URL could leak the conversation through its query
  // string (a prompt-injection exfiltration route), so nothing loads until the reader clicks.
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a
        href={src}
        target="_blank"
        rel="noopener noreferrer"
        className="inline-flex items-center gap-1 text-primary underline underline-offset-2 hover:text-primary/80"
      >
        <ImageIcon className="size-3.5" aria-hidden />
        {alt || "image"}
      </a>
    ) : (
      <span>{alt}</span>
    ),
  table: ({ node, className, ...props }) => (
    <div className="my-2 overflow-x-auto">
      <table className={cn("w-full border-collapse text-left text-xs", className)} {...props} />
    </div>
  ),
  thead: ({ node, className, ...props }) => <thead className={cn("bg-muted/60", className)} {...props} />,
  th: ({ node, className, ...props }) => (
    <th className={cn("border px-2 py-1 font-semibold", className)} {...props} />
  ),
  td: ({ node, className, ...props }) => (
    <td className={cn("border px-2 py-1 align-top", className)} {...props} />
  ),
  // Only inline code reaches `code`: `pre` below renders a block's code itself.
  code: ({ node, className, ...props }) => (
    <code className={cn("rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]", className)} {...props} />
  ),
  pre: ({ node }) => <CodeBlock {...codeBlockOf(node)} />,
};

const REMARK_PLUGINS = [remarkGfm];

/**
 * Model-written Markdown (GFM) as React elements. Raw HTML shows as text, unsafe link targets are
 * dropped and images are links; memoised so only the reply that is streaming is parsed again.
 */
export const Markdown = memo(function Markdown({
  text,
  className,
  ...props
}: { text: string } & Omit<ComponentProps<"div">, "children">) {
  return (
    <div
      className={cn("min-w-0 break-words [&>:first-child]:mt-0 [&>:last-child]:mb-0", className)}
      {...props}
    >
      <ReactMarkdown remarkPlugins={REMARK_PLUGINS} components={COMPONENTS}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
