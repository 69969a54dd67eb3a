#!/usr/bin/env bash
# Reports the size of the built site (dist/ from `trunk build --release`): raw, gzip -9 and brotli -q 11
# bytes of every .wasm, .js and .css file, and the brotli total against the 200 kB goal (200,000 bytes).
# Reports only; `--strict` makes it fail when the goal is missed.
set -euo pipefail

cd "$(dirname "$0")/.."
dist=dist
strict=0
for arg in "$@"; do
  case "$arg" in
    --strict) strict=1 ;;
    *) dist=$arg ;;
  esac
done
[ -d "$dist" ] || { echo "size.sh: no $dist/ (run trunk build --release first)" >&2; exit 1; }

# The brotli CLI when installed, else Node's zlib at the same quality (they give the same bytes ± a few).
brotli_cli=$(command -v brotli || true)
DIST="$dist" BROTLI_CLI="$brotli_cli" STRICT="$strict" node --input-type=module <<'JS'
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import zlib from 'node:zlib';

const dist = process.env.DIST;
const goal = 200_000;
const files = readdirSync(dist).filter((f) => /\.(wasm|js|css)$/.test(f)).sort();
if (files.length === 0) {
  console.error(`size.sh: no .wasm, .js or .css files in ${dist}/`);
  process.exit(1);
}
const brotli = (buf, path) =>
  process.env.BROTLI_CLI
    ? execFileSync(process.env.BROTLI_CLI, ['-q', '11', '-c', path], { maxBuffer: 1 << 30 }).length
    : zlib.brotliCompressSync(buf, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const rows = files.map((f) => {
  const path = join(dist, f);
  const buf = readFileSync(path);
  return { f, raw: buf.length, gz: zlib.gzipSync(buf, { level: 9 }).length, br: brotli(buf, path) };
});
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gz: t.gz + r.gz, br: t.br + r.br }), { raw: 0, gz: 0, br: 0 });
const n = (x) => x.toLocaleString('en-US').padStart(11);
const w = Math.max(5, ...files.map((f) => f.length));
console.log(`${'file'.padEnd(w)} ${'raw'.padStart(11)} ${'gzip'.padStart(11)} ${'brotli'.padStart(11)}`);
for (const r of rows) console.log(`${r.f.padEnd(w)} ${n(r.raw)} ${n(r.gz)} ${n(r.br)}`);
console.log(`${'total'.padEnd(w)} ${n(total.raw)} ${n(total.gz)} ${n(total.br)}`);
const verdict = total.br <= goal ? 'within' : 'OVER';
console.log(`size: ${total.br.toLocaleString('en-US')} bytes brotli (${process.env.BROTLI_CLI ? 'brotli CLI' : 'node zlib'}), ${verdict} the 200 kB goal (${(100 * total.br / goal).toFixed(0)}%)`);
if (process.env.STRICT === '1' && total.br > goal) process.exit(1);
JS
