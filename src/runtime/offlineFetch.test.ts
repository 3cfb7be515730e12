import { describe, expect, it, vi } from 'vitest';
import { sameOriginOnly } from './offlineFetch';

describe('sameOriginOnly', () => {
  const real = vi.fn(async () => new Response('ok', { status: 200 }));
  const blocked: string[] = [];
  const guarded = sameOriginOnly(real as unknown as typeof fetch, 'http://127.0.0.1:4173', (u) => blocked.push(u));

  it('passes same-origin, relative, blob and data URLs through', async () => {
    for (const url of ['http://127.0.0.1:4173/models/ensemble.json', '/mediapipe/wasm/x.wasm', 'blob:http://127.0.0.1:4173/abc', 'data:text/plain,hi']) {
      expect((await guarded(url)).status).toBe(200);
    }
    expect(real).toHaveBeenCalledTimes(4);
  });

  it('answers requests to other hosts locally without calling fetch', async () => {
    real.mockClear();
    const response = await guarded(new Request('https://odml.pa.googleapis.com/v1/log', { method: 'POST' }));
    expect(response.status).toBe(403);
    expect(real).not.toHaveBeenCalled();
    expect(blocked).toEqual(['https://odml.pa.googleapis.com/v1/log']);
  });
});
