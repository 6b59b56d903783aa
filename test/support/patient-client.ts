/**
 * A partner's HTTP client that keeps retrying the same request until it gets a definitive answer, as a
 * marketplace does when its call times out or the connection drops: network errors and 503s are retried.
 */
export type PatientAnswer = { status: number; body: Record<string, unknown>; tries: number };

export async function untilAnswered(url: () => string, init: RequestInit, retryDelayMs = 100, maxMs = 60_000): Promise<PatientAnswer> {
  const deadline = Date.now() + maxMs;
  for (let tries = 1; ; tries++) {
    try {
      const response = await fetch(url(), { ...init, signal: AbortSignal.timeout(5_000) });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.status !== 503) return { status: response.status, body, tries };
    } catch {
      // Connection refused or dropped: the gateway is restarting. Try again.
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url()} within ${maxMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
  }
}

export const jsonPost = (key: string, body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-Api-Key': key },
  body: JSON.stringify(body),
});
