/**
 * Compressed assets for the production server (`npm start`, i.e. `vite preview`): after a build,
 * every text, wasm and model file gets a brotli (.br) and a gzip (.gz) twin where that saves at
 * least 5%, and the preview server sends the twin the browser accepts (Content-Encoding), with
 * cache headers: files with a content hash in their name (/assets/) are immutable for a year,
 * everything else is revalidated (no-cache + Last-Modified). MediaPipe's wasm shrinks from 12.4
 * to 2.9 MB this way; float16 weights only by about 9%. Static hosts: see README.
 */
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Connect, Plugin } from 'vite';

// .task and .tflite: MediaPipe's models (the full-range detector's float weights shrink by a third).
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.wasm', '.bin', '.task', '.tflite', '.md', '.txt']);
const MIN_SAVING = 0.05;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Writes the .br and .gz twins of the compressible files under `dir`; returns bytes before/after (brotli). */
export function precompress(dir: string): { before: number; after: number } {
  let before = 0, after = 0;
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.has(extname(path)) || statSync(path).size < 1024) continue;
    const bytes = readFileSync(path);
    const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } });
    if (br.length > bytes.length * (1 - MIN_SAVING)) continue;
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
    before += bytes.length;
    after += br.length;
  }
  return { before, after };
}

/** Which twin to send for an Accept-Encoding header, best first. */
export function chooseEncoding(acceptEncoding: string | undefined, has: (suffix: '.br' | '.gz') => boolean): 'br' | 'gzip' | undefined {
  const accepted = (acceptEncoding ?? '').split(',').map((e) => e.trim().split(';')[0]);
  if (accepted.includes('br') && has('.br')) return 'br';
  if (accepted.includes('gzip') && has('.gz')) return 'gzip';
  return undefined;
}

export function cacheControl(urlPath: string): string {
  return urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

export function compressedAssets(): Plugin {
  let outDir = 'dist';
  let headers: Record<string, string> = {};
  return {
    name: 'agedist:compressed-assets',
    apply: (_config, env) => env.command === 'build' || !!env.isPreview,
    configResolved(config) {
      outDir = config.build.outDir;
      headers = (config.preview.headers ?? {}) as Record<string, string>;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        precompress(outDir);
      },
    },
    configurePreviewServer(server) {
      const root = normalize(server.config.build.outDir);
      const serve: Connect.NextHandleFunction = (req, res, next) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') return next();
        const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0]);
        const path = normalize(join(root, urlPath));
        if (!path.startsWith(root + sep)) return next();
        let stat;
        try {
          stat = statSync(path);
        } catch {
          return next();
        }
        if (!stat.isFile()) return next();
        const encoding = chooseEncoding(req.headers['accept-encoding'], (suffix) => {
          try {
            return statSync(path + suffix).isFile();
          } catch {
            return false;
          }
        });
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.setHeader('Cache-Control', cacheControl(urlPath));
        res.setHeader('Last-Modified', stat.mtime.toUTCString());
        res.setHeader('Vary', 'Accept-Encoding');
        const since = req.headers['if-modified-since'];
        if (since && Date.parse(since) >= Math.floor(stat.mtimeMs / 1000) * 1000) {
          res.statusCode = 304;
          return res.end();
        }
        res.setHeader('Content-Type', CONTENT_TYPES[extname(path)] ?? 'application/octet-stream');
        const file = encoding ? path + (encoding === 'br' ? '.br' : '.gz') : path;
        if (encoding) res.setHeader('Content-Encoding', encoding);
        res.setHeader('Content-Length', statSync(file).size);
        if (req.method === 'HEAD') return res.end();
        createReadStream(file).pipe(res);
      };
      server.middlewares.use(serve);
    },
  };
}
