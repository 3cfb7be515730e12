/**
 * Colours of tracked faces in live video: a box and its chart share one, so a visitor finds their
 * own chart at a glance. Bright on dark video and distinct for the common colour blindnesses
 * (Okabe-Ito palette).
 */
export const TRACK_COLOURS = ['#e69f00', '#56b4e9', '#f0e442', '#cc79a7', '#009e73', '#d55e00'];

export function trackColour(trackId: number): string {
  return TRACK_COLOURS[(trackId - 1) % TRACK_COLOURS.length];
}
