/** What the MCP server needs of the contract API: Hono's `app.request`, answered in-process. */
export interface ApiHandle {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

/** RFC 9457 problem details as the contract API sends them. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: Array<{ path: string; message: string }>;
}

/** A non-2xx answer of the contract API, with the problem it explained itself with. */
export class ApiProblem extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: ProblemDetails,
  ) {
    super(`${method} ${path} → ${status}: ${problem.title}: ${problem.detail}`);
    this.name = "ApiProblem";
  }

  /** True when no route answers the path at all (the API's not-found handler), not a missing entity. */
  get isMissingRoute(): boolean {
    return this.status === 404 && this.problem.detail.startsWith("No endpoint");
  }
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface SendOptions {
  query?: Query;
  /** JSON-serialised unless it is already a body (bytes, text). */
  body?: unknown;
  contentType?: string;
  /** Aborts the request (a streamed answer stops; the API may stop the work, e.g. an exec). */
  signal?: AbortSignal;
}

/** The contract API as one caller (a token, or none in local mode) sees it. */
export interface StudioApi {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  /** The raw response of a 2xx answer, for bodies that are not JSON. */
  send(method: string, path: string, options?: SendOptions): Promise<Response>;
}

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function problemOf(response: Response): Promise<ProblemDetails> {
  const text = await response.text();
  try {
    const parsed = JSON.parse(text) as Partial<ProblemDetails>;
    if (typeof parsed.title === "string" && typeof parsed.detail === "string") {
      return { type: "about:blank", status: response.status, ...parsed } as ProblemDetails;
    }
  } catch {
    // Not problem+json (a proxy, a crash page): fall through to a generic problem.
  }
  return {
    type: "about:blank",
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 500),
  };
}

/**
 * A caller of the contract API in-process that forwards the MCP client's bearer token, so the
 * API's own principal resolution, validation and workspace scoping apply to every tool call.
 */
export function studioApiFor(api: ApiHandle, token: string | undefined): StudioApi {
  async function send(method: string, path: string, options: SendOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      const raw = typeof options.body === "string" || options.body instanceof Uint8Array;
      headers["content-type"] =
        options.contentType ?? (raw ? "application/octet-stream" : "application/json");
      body = raw ? (options.body as BodyInit) : JSON.stringify(options.body);
    }
    const target = withQuery(path, options.query);
    const response = await api.request(target, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    if (!response.ok) throw new ApiProblem(method, target, response.status, await problemOf(response));
    return response;
  }
  const json = async <T>(response: Response): Promise<T> =>
    (response.status === 204 ? undefined : await response.json()) as T;
  return {
    send,
    get: async (path, query) => json(await send("GET", path, { query })),
    post: async (path, body) => json(await send("POST", path, { body: body ?? {} })),
    patch: async (path, body) => json(await send("PATCH", path, { body })),
  };
}
