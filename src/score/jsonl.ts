/**
 * Results as JSON lines, appended so that a killed process (even `kill -9`) never leaves a broken
 * line behind for the next run: each line is one write() of the whole line and its newline,
 * followed by fsync, and reading ignores (and the appender cuts off) an incomplete last line.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';

export interface ParsedJsonl<T> {
  records: T[];
  /** Bytes up to and including the last complete line; anything after it is a torn write. */
  validBytes: number;
  /** Complete lines that are not JSON objects (skipped), 1-based. */
  badLines: number[];
}

/** Parses JSON lines; a last line without its newline is a write cut short and is ignored. */
export function parseJsonl<T = Record<string, unknown>>(data: Uint8Array | string): ParsedJsonl<T> {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const end = buffer.lastIndexOf(0x0a) + 1;
  const records: T[] = [];
  const badLines: number[] = [];
  const lines = buffer.subarray(0, end).toString('utf8').split('\n');
  lines.pop(); // after the last newline
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) records.push(value as T);
      else badLines.push(i + 1);
    } catch {
      badLines.push(i + 1);
    }
  });
  return { records, validBytes: end, badLines };
}

export function readJsonl<T = Record<string, unknown>>(path: string): ParsedJsonl<T> {
  return existsSync(path) ? parseJsonl<T>(readFileSync(path)) : { records: [], validBytes: 0, badLines: [] };
}

/** An append-only JSONL file; opening it drops a torn last line and returns what was there. */
export class JsonlAppender<T extends object> {
  private constructor(
    private fd: number,
    readonly existing: T[],
  ) {}

  static open<T extends object>(path: string): JsonlAppender<T> {
    const parsed = readJsonl<T>(path);
    const fd = openSync(path, 'a+');
    // O_APPEND writes go to the end: cut the torn tail first so the next line starts a line.
    ftruncateSync(fd, parsed.validBytes);
    return new JsonlAppender<T>(fd, parsed.records);
  }

  append(record: T): void {
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    let written = 0;
    // One write() for a regular file unless the disk is full or a signal interrupts it.
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}
