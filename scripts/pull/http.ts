// HTTP client for the collaboration API: time-outs, retries with backoff + jitter, 429 Retry-After, shape checks.

/** A response that failed a shape check, was cut short, or came with a retryable status. */
export class RetryableError extends Error {}

/** The request cannot succeed: retries are used up, or the server said no (4xx other than 429). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  base: string;
  /** Per-request time-out (AbortSignal.timeout). */
  timeoutMs?: number;
  /** Attempts after the first one. */
  retries?: number;
  /** First backoff delay; doubles each attempt, with full jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Injected for tests: a clock that does not really wait, and a fixed random source. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
}

export interface ClientStats {
  requests: number;
  retries: number;
}

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retry-After is either delta-seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const s = Number(header.trim());
  if (Number.isFinite(s) && s >= 0) return s * 1000;
  const t = Date.parse(header);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

export class ApiClient {
  readonly stats: ClientStats = { requests: 0, retries: 0 };
  private readonly o: Required<Omit<ClientOptions, 'onRetry'>> & Pick<ClientOptions, 'onRetry'>;

  constructor(opts: ClientOptions) {
    this.o = {
      timeoutMs: 30_000,
      retries: 5,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      sleep: realSleep,
      random: Math.random,
      fetch: globalThis.fetch,
      ...opts,
      base: opts.base.endsWith('/') ? opts.base : `${opts.base}/`,
    };
  }

  url(path: string, params: Record<string, string | number | boolean | null | undefined> = {}): string {
    const u = new URL(path.replace(/^\//, ''), this.o.base);
    for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) u.searchParams.set(k, String(v));
    return u.toString();
  }

  /**
   * GET a JSON document and check its shape. Network errors, time-outs, 5xx, 429, truncated or invalid JSON and
   * shape failures are retried; other 4xx are not (asking again gives the same answer).
   */
  async getJson<T>(url: string, check: (v: unknown) => T | string): Promise<{ value: T; text: string }> {
    let lastReason = '';
    for (let attempt = 0; attempt <= this.o.retries; attempt++) {
      let serverDelay: number | null = null;
      try {
        this.stats.requests++;
        const res = await this.o.fetch(url, { signal: AbortSignal.timeout(this.o.timeoutMs), headers: { accept: 'application/json' } });
        if (res.status === 429 || res.status >= 500) {
          serverDelay = res.status === 429 ? retryAfterMs(res.headers.get('retry-after')) : null;
          throw new RetryableError(`HTTP ${res.status}${await errorMessage(res)}`);
        }
        if (!res.ok) throw new ApiError(`HTTP ${res.status}${await errorMessage(res)}`, res.status);
        const text = await res.text();
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          throw new RetryableError(`the response is not complete JSON (${text.length} bytes; truncated?)`);
        }
        const checked = check(value);
        if (typeof checked === 'string') throw new RetryableError(`unexpected response shape: ${checked}`);
        return { value: checked, text };
      } catch (e) {
        if (e instanceof ApiError) throw e;
        lastReason = describe(e, this.o.timeoutMs);
        if (attempt === this.o.retries) break;
        // Full jitter keeps many clients from retrying in step; the server's Retry-After is a floor.
        const cap = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** attempt);
        const delayMs = Math.max(serverDelay ?? 0, Math.round(this.o.random() * cap));
        this.stats.retries++;
        this.o.onRetry?.({ url, attempt: attempt + 1, delayMs, reason: lastReason });
        await this.o.sleep(delayMs);
      }
    }
    throw new ApiError(`${lastReason} after ${this.o.retries + 1} attempts`);
  }
}

function describe(e: unknown, timeoutMs: number): string {
  if (e instanceof RetryableError) return e.message;
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no response within ${timeoutMs} ms`;
  const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
  return `network error (${e instanceof Error ? e.message : String(e)}${cause})`;
}

/** `{"error":{code,message,hint}}` bodies become a short suffix for the message. */
async function errorMessage(res: Response): Promise<string> {
  try {
    const v = JSON.parse(await res.text()) as { error?: { code?: unknown; message?: unknown } };
    const e = v.error;
    if (e && (typeof e.code === 'string' || typeof e.message === 'string')) return ` ${String(e.code ?? '')}: ${String(e.message ?? '')}`.trimEnd();
  } catch {
    // Not a JSON error body: the status says enough.
  }
  return '';
}
