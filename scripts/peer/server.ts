/**
 * One local HTTP server for both apps of the side-by-side benchmark: it proxies agedist's
 * production build (vite preview) and serves the Human page, Human's bundle, its models and the
 * tfjs wasm binaries. Every response body is counted here, so requests from workers count too
 * (worker scripts included, which Playwright's request events do not report) and both apps are
 * counted the same way. Accept-Encoding is dropped when proxying, so neither app is compressed on
 * the wire, unless `keepEncoding` (npm run bench -- --cold counts what a browser receives).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** What one path was served: body bytes and requests. */
export interface PathCount {
  bytes: number;
  requests: number;
}

export interface Counter {
  bytes: number;
  requests: number;
  /** Paths served since the last reset (query dropped). */
  paths: string[];
  /** Body bytes and requests per path since the last reset. */
  byPath: Map<string, PathCount>;
}

export interface PeerServer {
  url: string;
  counter: Counter;
  reset: () => void;
  close: () => Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
  '.wasm': 'application/wasm',
};

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

/** `mounts`: URL prefix (e.g. '/peer/models/') → folder on disk. Everything else goes to `upstream`. */
export async function startPeerServer(upstream: string, mounts: Record<string, string>, options: { keepEncoding?: boolean } = {}): Promise<PeerServer> {
  const counter: Counter = { bytes: 0, requests: 0, paths: [], byPath: new Map() };
  const up = new URL(upstream);

  const count = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    counter.requests++;
    counter.paths.push(path);
    const file = counter.byPath.get(path) ?? { bytes: 0, requests: 0 };
    file.requests++;
    counter.byPath.set(path, file);
    const add = (chunk: unknown) => {
      const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.byteLength : 0;
      counter.bytes += bytes;
      file.bytes += bytes;
    };
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      add(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') add(chunk);
      return end(chunk, ...rest);
    }) as typeof res.end;
  };

  const serveFile = async (res: ServerResponse, file: string) => {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      res.writeHead(404, ISOLATION).end('not found');
      return;
    }
    res.writeHead(200, {
      ...ISOLATION,
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  };

  const proxy = (req: IncomingMessage, res: ServerResponse) => {
    const headers = { ...req.headers, host: up.host };
    if (!options.keepEncoding) delete headers['accept-encoding'];
    const upstreamReq = request({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    upstreamReq.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(upstreamReq);
  };

  const server = createServer((req, res) => {
    count(req, res);
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    for (const [prefix, folder] of Object.entries(mounts)) {
      if (path.startsWith(prefix)) {
        const rel = normalize(path.slice(prefix.length));
        if (rel.startsWith('..')) return void res.writeHead(403).end();
        return void serveFile(res, join(folder, rel));
      }
    }
    proxy(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    counter,
    reset: () => {
      counter.bytes = 0;
      counter.requests = 0;
      counter.paths = [];
      counter.byPath = new Map();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
