/**
 * Five points (eye centres, nose tip, mouth corners, in image order) of the three faces in
 * e2e/fixtures/sample1.jpg, read by eye off 4x zooms with a 20-px grid. The landmark test checks
 * the app against them; the fake-webcam clips cut faces out of the photo with them.
 */
export type Five = [number, number][];

export const HAND_CHECKED_SAMPLE1: Five[] = [
  [[441, 454], [518, 458], [469, 515], [441, 538], [525, 542]],
  [[873, 550], [938, 522], [928, 583], [911, 612], [985, 578]],
  [[1559, 279], [1619, 337], [1555, 345], [1500, 342], [1557, 391]],
];
