/**
 * The generated large tree for figure 6: source-like text files spread over nested folders,
 * a rare needle in one file of every thousand, and one 10 MB file for Read. Deterministic, and
 * kept between bench runs (a marker records what was generated) so only the first run pays.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TreeSpec {
  files: number;
  /** Average file size in bytes. */
  avgBytes: number;
  bigFileBytes: number;
}

export const NEEDLE = 'bcodeBenchNeedle';
export const BIG_FILE = 'big/large-file.txt';
const EXTS = ['ts', 'js', 'md', 'json', 'py'];
const WORDS = 'const let return function import export from async await value result index count buffer stream request response handler config options error message token cache model tool session render parse format value'.split(' ');

export function treeSpec(size: 'full' | 'small' | 'smoke'): TreeSpec {
  if (size === 'smoke') return { files: 200, avgBytes: 4096, bigFileBytes: 1 << 20 };
  if (size === 'small') return { files: 5_000, avgBytes: 10_500, bigFileBytes: 10 << 20 };
  return { files: 50_000, avgBytes: 10_500, bigFileBytes: 10 << 20 };
}

/** A deterministic pseudo-random generator (mulberry32), so the tree is the same on every machine. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function textPool(bytes: number): string {
  const r = rng(42);
  const lines: string[] = [];
  let n = 0;
  while (n < bytes) {
    const indent = '  '.repeat(Math.floor(r() * 4));
    const words = Array.from({ length: 3 + Math.floor(r() * 9) }, () => WORDS[Math.floor(r() * WORDS.length)]);
    const line = `${indent}${words.join(' ')};`;
    lines.push(line);
    n += line.length + 1;
  }
  return lines.join('\n');
}

export function filePath(root: string, i: number): string {
  const ext = EXTS[i % EXTS.length];
  return path.join(root, `pkg-${Math.floor(i / 1000)}`, `mod-${Math.floor(i / 100) % 10}`, `file-${i}.${ext}`);
}

/** Creates (or reuses) the tree under `dir`; returns what it holds. */
export function ensureTree(dir: string, spec: TreeSpec, log: (s: string) => void): { root: string; bytes: number; files: number; reused: boolean } {
  const marker = path.join(dir, '.bcode-bench-tree.json');
  const want = JSON.stringify(spec);
  if (existsSync(marker)) {
    const had = JSON.parse(readFileSync(marker, 'utf8')) as { spec: string; bytes: number; files: number };
    if (had.spec === want) return { root: path.join(dir, 'tree'), bytes: had.bytes, files: had.files, reused: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const root = path.join(dir, 'tree');
  log(`generating ${spec.files.toLocaleString('en-US')} files (~${Math.round((spec.files * spec.avgBytes + spec.bigFileBytes) / 1e6)} MB) under ${root} …`);
  const pool = textPool(4 << 20);
  const r = rng(7);
  let bytes = 0;
  let lastDir = '';
  for (let i = 0; i < spec.files; i++) {
    const p = filePath(root, i);
    const d = path.dirname(p);
    if (d !== lastDir) {
      mkdirSync(d, { recursive: true });
      lastDir = d;
    }
    const size = Math.floor(spec.avgBytes * (0.5 + r()));
    const start = Math.floor(r() * (pool.length - size - 1));
    let text = pool.slice(start, start + size);
    if (i % 1000 === 500) text = `${text}\nconst marker = '${NEEDLE}';\n`;
    writeFileSync(p, text);
    bytes += Buffer.byteLength(text);
  }
  const big = path.join(root, BIG_FILE);
  mkdirSync(path.dirname(big), { recursive: true });
  let bigText = '';
  while (bigText.length < spec.bigFileBytes) bigText += pool;
  bigText = bigText.slice(0, spec.bigFileBytes);
  writeFileSync(big, bigText);
  bytes += bigText.length;
  const files = spec.files + 1;
  writeFileSync(marker, JSON.stringify({ spec: want, bytes, files }));
  return { root, bytes, files, reused: false };
}
