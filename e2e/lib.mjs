// Shared by e2e.mjs and perf.mjs: a tiny static server for dist/ and the system Chromium.
// Nothing here downloads anything: playwright-core drives /usr/bin/chromium (never `playwright install`).

import { createServer } from 'node:http';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, normalize, extname } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Serves `dir` on 127.0.0.1 at a free port (brotli-compressed when asked and accepted). Returns { url, close, requests } (requests: paths served). */
export async function serveDir(dir, { brotli = false } = {}) {
  const requests = [];
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^(\.\.[/\\])+/, '');
    try {
      const body = await readFile(join(dir, rel));
      const headers = { 'content-type': MIME[extname(rel)] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      if (brotli && /\bbr\b/.test(req.headers['accept-encoding'] ?? '')) {
        // As a static host serves the site: compressed, hashed assets cached for a year.
        headers['content-encoding'] = 'br';
        headers['cache-control'] = rel.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable';
        res.writeHead(200, headers);
        // Compressed once (a host stores the compressed file): later requests cost nothing.
        if (!compressed.has(rel)) compressed.set(rel, brotliCompressSync(body));
        res.end(compressed.get(rel));
        return;
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`not found: ${path}`);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts Chromium with a fresh profile directory. Returns { context, page, close }. */
export async function launch({ width = 1440, height = 900 } = {}) {
  const profile = await mkdtemp(join(tmpdir(), 'eda-lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Polls `fn` (async, returns truthy when done) every `every_ms` until `timeout_ms`; returns its last value. */
export async function waitFor(fn, { timeout_ms = 15_000, every_ms = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout_ms;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout_ms / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every_ms));
  }
}

/** Parses "12.345s" into microseconds (exact to the millisecond shown). */
export function parseSimTimeUs(text) {
  const m = /^\s*(\d+)(?:\.(\d{1,6}))?\s*s\s*$/.exec(text ?? '');
  if (!m) throw new Error(`sim-time "${text}" is not like "12.345s"`);
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? '').padEnd(6, '0'));
}

/** The element `selector` alone, cut from a full-page shot (an element shot would have the sticky top bar over it). */
export async function shootPanel(page, selector, path) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const clip = await page.$eval(selector, (el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  });
  await page.screenshot({ path, fullPage: true, clip });
  return path;
}
