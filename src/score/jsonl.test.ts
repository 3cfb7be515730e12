import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonlAppender, parseJsonl } from './jsonl';

describe('JSONL', () => {
  it('ignores a torn last line and reports bad complete lines', () => {
    const parsed = parseJsonl('{"file":"a"}\nnot json\n\n{"file":"b"}\n{"file":"c","fa');
    expect(parsed.records).toEqual([{ file: 'a' }, { file: 'b' }]);
    expect(parsed.badLines).toEqual([2]);
    expect(parsed.validBytes).toBe('{"file":"a"}\nnot json\n\n{"file":"b"}\n'.length);
    expect(parseJsonl('').records).toEqual([]);
    expect(parseJsonl('{"file":"x"}').validBytes).toBe(0);
  });

  it('counts bytes, not characters, with non-ASCII names', () => {
    const text = '{"file":"é.jpg"}\n{"file":"ü';
    expect(parseJsonl(text).validBytes).toBe(Buffer.byteLength('{"file":"é.jpg"}\n'));
  });

  it('appends whole lines and cuts a torn tail on reopening', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'score-jsonl-')), 'out.jsonl');
    const first = JsonlAppender.open<{ file: string }>(path);
    expect(first.existing).toEqual([]);
    first.append({ file: 'a' });
    first.append({ file: 'b' });
    first.close();
    appendFileSync(path, '{"file":"c","faces":[{"ag'); // killed mid-line
    const second = JsonlAppender.open<{ file: string }>(path);
    expect(second.existing.map((r) => r.file)).toEqual(['a', 'b']);
    second.append({ file: 'c' });
    second.close();
    expect(readFileSync(path, 'utf8')).toBe('{"file":"a"}\n{"file":"b"}\n{"file":"c"}\n');
  });

  it('starts a file that does not exist yet', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'score-jsonl-')), 'new.jsonl');
    const out = JsonlAppender.open<{ file: string }>(path);
    out.append({ file: 'x' });
    out.close();
    expect(readFileSync(path, 'utf8')).toBe('{"file":"x"}\n');
  });
});
