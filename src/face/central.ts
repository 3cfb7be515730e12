/**
 * A labelled face image shows one person; when the detector finds several faces (a bystander, a
 * poster), the one nearest the image centre is theirs. Undefined when there is no face.
 */
export function centralFace<F extends { box: { x: number; y: number; width: number; height: number } }>(
  image: { width: number; height: number; faces: F[] } | undefined,
): F | undefined {
  if (!image) return undefined;
  const distance = (f: F) => Math.hypot(f.box.x + f.box.width / 2 - image.width / 2, f.box.y + f.box.height / 2 - image.height / 2);
  return [...image.faces].sort((a, b) => distance(a) - distance(b))[0];
}
