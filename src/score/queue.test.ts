import { describe, expect, it } from 'vitest';
import { jobIdFor, redisConnection } from './queue';
import { scoreAll } from './runner';

describe('queue helpers', () => {
  it('reads redis URLs', () => {
    expect(redisConnection('redis://10.0.0.5:6380')).toEqual({ host: '10.0.0.5', port: 6380 });
    expect(redisConnection('redis://localhost')).toEqual({ host: 'localhost', port: 6379 });
    expect(redisConnection('rediss://u:p%40ss@db.example:7000/2')).toEqual({ host: 'db.example', port: 7000, username: 'u', password: 'p@ss', db: 2, tls: {} });
    expect(() => redisConnection('http://x')).toThrow(/redis:\/\//);
  });

  it('gives each relative name one stable job id', () => {
    expect(jobIdFor('a/b.jpg')).toBe(jobIdFor('a/b.jpg'));
    expect(jobIdFor('a/b.jpg')).not.toBe(jobIdFor('a/c.jpg'));
    expect(jobIdFor('x')).toMatch(/^img-[0-9a-f]{40}$/);
  });
});

describe('scoreAll', () => {
  it('runs the scorers side by side, each image once; a throw becomes an error line', async () => {
    const images = Array.from({ length: 20 }, (_, i) => ({ path: `/p/${i}.jpg`, file: `${i}.jpg` }));
    const written: string[] = [];
    let running = 0;
    let most = 0;
    const scorer = async ({ file }: { file: string }) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 2));
      running--;
      if (file === '7.jpg') throw new Error('page crashed');
      return { file, width: 1, height: 1, faces: [] };
    };
    const done = await scoreAll({ images, scorers: [scorer, scorer, scorer], write: (l) => written.push(JSON.stringify(l)) });
    expect(done).toBe(20);
    expect(most).toBe(3);
    expect(new Set(written.map((l) => JSON.parse(l).file)).size).toBe(20);
    expect(written).toContain('{"file":"7.jpg","error":"page crashed"}');
  });
});
