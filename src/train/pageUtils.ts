/** Small helpers the training page's components share. */

/** Seconds as "2 min 5 s" or "45 s". */
export const fmtTime = (s: number) => (s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`);
