/**
 * The local run: N scorers (pipelines) take images from one list side by side; each result is
 * handed to `write` as soon as it is ready (so a kill loses only the images in flight).
 */
import { errorLine, type ResultLine } from './result';
import type { ImageFile } from './files';

/** Scores one image. Throws only when the pipeline itself failed (not for a bad image). */
export type Scorer = (image: ImageFile) => Promise<ResultLine>;

export interface RunOptions {
  images: ImageFile[];
  scorers: Scorer[];
  write: (line: ResultLine) => void;
  onDone?: (done: number) => void;
}

/** Scores every image once; a scorer's exception becomes that image's error line. */
export async function scoreAll({ images, scorers, write, onDone }: RunOptions): Promise<number> {
  let next = 0;
  let done = 0;
  await Promise.all(
    scorers.map(async (scorer) => {
      while (next < images.length) {
        const image = images[next++];
        let line: ResultLine;
        try {
          line = await scorer(image);
        } catch (error) {
          line = errorLine(image.file, error);
        }
        write(line);
        done++;
        onDone?.(done);
      }
    }),
  );
  return done;
}
