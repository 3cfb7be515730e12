/** A one-line progress bar on stderr with rate and ETA (redrawn in place with \r). */
export function progress(label: string, done: number, total: number, started: number): void {
  const rate = done / Math.max(1e-3, (Date.now() - started) / 1000);
  const eta = rate > 0 ? Math.round((total - done) / rate) : 0;
  const bar = '#'.repeat(Math.round((done / Math.max(1, total)) * 30)).padEnd(30, '-');
  process.stderr.write(`\r${label} [${bar}] ${done}/${total} ${rate.toFixed(1)}/s ETA ${Math.floor(eta / 60)}m${String(eta % 60).padStart(2, '0')}s `);
  if (done === total) process.stderr.write('\n');
}
