/** Fetch JSON from our API; a server error becomes an Error carrying the server's message. */
export async function requestJson<T>(
  url: string,
  init: { method?: string; json?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    ...(init.signal ? { signal: init.signal } : {}),
    ...(init.json === undefined
      ? {}
      : { body: JSON.stringify(init.json), headers: { 'content-type': 'application/json' } }),
  });
  const body = (await response.json().catch(() => null)) as unknown;
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | null)?.error?.message;
    throw new Error(message ?? `HTTP ${response.status}`);
  }
  return body as T;
}
