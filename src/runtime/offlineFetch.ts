/**
 * Keeps a worker from talking to any host but its own origin. @mediapipe/tasks-vision has no
 * option to turn off its usage telemetry (a POST to a Google host every minute and on close), and
 * the app promises that nothing leaves the browser, so foreign requests are answered locally with
 * a 403 before they reach the network. tasks-vision treats that as "logging failed" and stops.
 */
export function sameOriginOnly(realFetch: typeof fetch, origin: string, onBlocked?: (url: string) => void): typeof fetch {
  return (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), origin);
    const local = url.origin === origin || url.protocol === 'blob:' || url.protocol === 'data:';
    if (local) return realFetch(input, init);
    onBlocked?.(url.href);
    return Promise.resolve(new Response(null, { status: 403, statusText: 'Blocked: this app makes no requests to other hosts' }));
  };
}
