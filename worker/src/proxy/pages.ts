const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${status} ${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .25rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}<p><small>AgentOS Studio sandbox proxy</small></p></body></html>
`;
}

/** The page for a Host no sandbox site is bound to. */
export function unknownHostPage(host: string | null): string {
  return page(
    404,
    "No site here",
    host
      ? `<p>No sandbox site is bound to <code>${escapeHtml(host)}</code>. Bind it with <code>POST /api/sandboxes/{id}/site-bindings</code>.</p>`
      : "<p>The request has no Host header, so no sandbox site can be chosen.</p>",
  );
}

/** The page for a bound host whose sandbox does not answer. */
export function sandboxDownPage(host: string): string {
  return page(
    502,
    "Sandbox not answering",
    `<p>The sandbox behind <code>${escapeHtml(host)}</code> is not accepting connections: it may be stopped, or nothing listens on its bound port yet.</p>`,
  );
}
