/**
 * `--csv`: one row per face (an image without faces or with an error gets one row with its
 * `faces` count 0 or its `error`), with each member's estimate (the age the app shows) and, when the lines hold
 * them, the 101 probabilities p0..p100.
 */
import { AGE_BINS } from '../age/distribution';
import { isError, type ResultLine } from './result';

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(lines: ResultLine[]): string {
  const members = new Set<string>();
  let withDistribution = false;
  for (const line of lines) {
    if (isError(line)) continue;
    for (const face of line.faces) {
      Object.keys(face.members).forEach((id) => members.add(id));
      if (face.distribution) withDistribution = true;
    }
  }
  const memberIds = [...members];
  const probs = withDistribution ? Array.from({ length: AGE_BINS }, (_, i) => `p${i}`) : [];
  const header = ['file', 'width', 'height', 'faces', 'face', 'age', 'std', 'mode', 'box_x', 'box_y', 'box_width', 'box_height', ...memberIds.map((id) => `age_${id}`), ...probs, 'error'];
  const rows = [header.join(',')];
  for (const line of lines) {
    if (isError(line)) {
      rows.push([line.file, '', '', '', '', '', '', '', '', '', '', '', ...memberIds.map(() => ''), ...probs.map(() => ''), line.error].map(cell).join(','));
      continue;
    }
    if (line.faces.length === 0) rows.push([line.file, line.width, line.height, 0, ...Array(8 + memberIds.length + probs.length + 1).fill('')].map(cell).join(','));
    line.faces.forEach((f, i) => {
      const p = probs.map((_, k) => f.distribution?.[k]);
      rows.push([line.file, line.width, line.height, line.faces.length, i + 1, f.age, f.std, f.mode, f.box.x, f.box.y, f.box.width, f.box.height, ...memberIds.map((id) => f.members[id]), ...p, ''].map(cell).join(','));
    });
  }
  return `${rows.join('\n')}\n`;
}
