import autocannon from "autocannon";

/** One endpoint under load: how to build its requests. */
export interface Endpoint {
  label: string;
  method: "GET" | "POST";
  path: string;
  /** A fresh body per request (POST): called once for every request sent. */
  body?: () => string;
}

export interface LoadOptions {
  baseUrl: string;
  endpoint: Endpoint;
  connections: number;
  seconds: number;
}

/** What the measured rounds of one target × endpoint add up to. */
export interface Sample {
  latenciesMs: number[];
  responses: number;
  seconds: number;
  /** Connection errors, timeouts included. */
  errors: number;
  statusCodes: Record<string, number>;
}

export interface LoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  responses: number;
  /** Responses by status code. */
  statusCodes: Record<string, number>;
}

export const emptySample = (): Sample => ({
  latenciesMs: [],
  responses: 0,
  seconds: 0,
  errors: 0,
  statusCodes: {},
});

function fire(options: LoadOptions, onResponse?: (status: number, latencyMs: number) => void) {
  const { endpoint } = options;
  const body = endpoint.body;
  return new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
        headers: body ? { "content-type": "application/json" } : {},
        requests: [
          {
            method: endpoint.method,
            path: endpoint.path,
            ...(body
              ? {
                  setupRequest: (request: autocannon.Request) => {
                    request.body = body();
                    return request;
                  },
                }
              : {}),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onResponse) {
      // autocannon 9 emits (client, status, bytes, ms); @types/autocannon 7 still omits the client.
      instance.on("response", (...args: unknown[]) => onResponse(args[1] as number, args[3] as number));
    }
  });
}

/** Load whose figures are discarded, so JIT and caches are warm before measuring. */
export async function warmUp(options: LoadOptions): Promise<void> {
  await fire(options);
}

/** One measured round, added to `sample`. */
export async function measureRound(options: LoadOptions, sample: Sample): Promise<void> {
  const result = await fire(options, (status, latencyMs) => {
    sample.latenciesMs.push(latencyMs);
    sample.statusCodes[status] = (sample.statusCodes[status] ?? 0) + 1;
  });
  sample.responses += result.requests.total;
  sample.seconds += result.duration;
  sample.errors += result.errors;
}

/** Nearest-rank percentile of ascending `sorted`. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

export function figuresOf(sample: Sample): LoadFigures {
  const sorted = sample.latenciesMs.toSorted((a, b) => a - b);
  const non2xx = Object.entries(sample.statusCodes)
    .filter(([code]) => !code.startsWith("2"))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requestsPerSecond: sample.seconds > 0 ? sample.responses / sample.seconds : 0,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    non2xx,
    errors: sample.errors,
    responses: sample.responses,
    statusCodes: sample.statusCodes,
  };
}
