/**
 * Figure 6: the Grep, Glob and Read tools on a generated large tree. The tools are called
 * in-process through their own run() (bundled from src/tools, as the agent calls them, with
 * input validated by their zod schema), against ripgrep run directly with the same question.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rgPath } from '@vscode/ripgrep';
import type { AnyTool, ToolContext } from '../../src/tools/types.js';
import type { BenchOptions } from './options.js';
import { na, ratioOf, type Row } from './results.js';
import { median, nowMs } from './stats.js';
import { BIG_FILE, ensureTree, NEEDLE, treeSpec } from './tree.js';

function runRg(args: string[]): Promise<{ ms: number; out: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const child = spawn(rgPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: nowMs() - t0, out, code }));
  });
}

function toolText(forModel: unknown): string {
  if (typeof forModel === 'string') return forModel;
  if (Array.isArray(forModel)) return forModel.map((b: { text?: string }) => b.text ?? '').join('\n');
  return '';
}

async function runTool(tool: AnyTool, input: unknown, ctx: ToolContext): Promise<{ ms: number; text: string; isError: boolean }> {
  const t0 = nowMs();
  const parsed: unknown = tool.inputSchema.parse(input);
  const r = await tool.run(parsed, ctx);
  return { ms: nowMs() - t0, text: toolText(r.forModel), isError: r.isError === true };
}

interface Pair {
  figure: string;
  what: string;
  tool: string;
  input: unknown;
  baselineLabel: string;
  baseline: () => Promise<{ ms: number; out: string }>;
  /** Checks that the tool answered the question (not an error, the expected matches). */
  check: (text: string, baselineOut: string) => string | undefined;
  target?: { text: string; max: number };
  /** What the tool does that the baseline does not (shown as the row's note). */
  note?: string;
  /**
   * The same work done by ripgrep alone, where the baseline leaves part of the tool's job out:
   * timed with the baseline and shown in the note only, the ratio stays against the baseline.
   */
  reference?: { label: string; run: () => Promise<{ ms: number; out: string }> };
}

export async function figureTree(tools: Map<string, AnyTool> | string, o: BenchOptions, version: string, log: (s: string) => void): Promise<Row[]> {
  const size = o.smoke ? 'smoke' : o.small ? 'small' : 'full';
  const spec = treeSpec(size);
  const dir = o.treeDir ?? path.join(tmpdir(), `bcode-bench-tree-${version}${size === 'full' ? '' : `-${size}`}`);
  const tree = ensureTree(dir, spec, log);
  const treeNote = `${tree.files.toLocaleString('en-US')} files, ${(tree.bytes / 1e6).toFixed(0)} MB at ${tree.root}${tree.reused ? ' (cached)' : ''}`;
  const big = path.join(tree.root, BIG_FILE);
  const lineCount = (s: string) => s.split('\n').filter((l) => l.trim()).length;
  const pairs: Pair[] = [
    {
      figure: '6a', what: 'Grep (files with matches)', tool: 'Grep', input: { pattern: NEEDLE, path: tree.root, output_mode: 'files_with_matches' },
      baselineLabel: 'rg -l', baseline: () => runRg(['--files-with-matches', NEEDLE, tree.root]),
      check: (t, b) => (lineCount(b) > 0 && !t.includes(path.basename(b.trim().split('\n')[0])) ? 'Grep did not list the files rg found' : undefined),
      target: { text: '≤ 1.2× rg', max: 1.2 },
      note: 'Grep also stats every matching file to list the newest first; rg -l leaves them unsorted',
    },
    {
      figure: '6b', what: 'Grep (content, line numbers)', tool: 'Grep', input: { pattern: NEEDLE, path: tree.root, output_mode: 'content', '-n': true },
      baselineLabel: 'rg -n', baseline: () => runRg(['-n', NEEDLE, tree.root]),
      check: (t) => (t.includes(NEEDLE) ? undefined : 'Grep content output lacks the matching lines'),
      target: { text: '≤ 1.2× rg', max: 1.2 },
      note: "Grep sorts the lines by path (rg -n prints files in whatever order its threads finish them) and caps them at 30,000 chars; it runs rg without --sort, which would make rg search on one thread",
      reference: { label: 'rg -n --sort path', run: () => runRg(['-n', '--sort', 'path', NEEDLE, tree.root]) },
    },
    {
      figure: '6c', what: 'Glob **/*.ts', tool: 'Glob', input: { pattern: '**/*.ts', path: tree.root },
      baselineLabel: "rg --files -g '**/*.ts'", baseline: () => runRg(['--files', '-g', '**/*.ts', tree.root]),
      check: (t) => (t.includes('.ts') ? undefined : 'Glob listed no .ts file'),
      note: "Glob also stats every match to list the newest 100 first; rg --files leaves them unsorted, and its own mtime sort walks on one thread",
      reference: { label: "rg --files -g '**/*.ts' --sortr modified", run: () => runRg(['--files', '-g', '**/*.ts', '--sortr', 'modified', tree.root]) },
    },
    {
      figure: '6d', what: `Read of a ${(spec.bigFileBytes / (1 << 20)).toFixed(0)} MB file`, tool: 'Read', input: { file_path: big },
      baselineLabel: 'fs.readFileSync', baseline: async () => { const t0 = nowMs(); const s = readFileSync(big, 'utf8'); return { ms: nowMs() - t0, out: s.slice(0, 10) }; },
      check: (t) => (t.length > 0 ? undefined : 'Read returned nothing'),
    },
  ];
  if (typeof tools === 'string') return pairs.map((p) => na(p.figure, p.what, 'ms', tools, p.target?.text));
  const scratch = mkdtempSync(path.join(tmpdir(), 'bcode-bench-scratch-'));
  const ctx: ToolContext = {
    cwd: tree.root,
    signal: new AbortController().signal,
    childEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, LANG: 'C.UTF-8' },
    readFiles: new Map(),
    scratchDir: scratch,
    shell: { cwd: tree.root },
  };
  const rows: Row[] = [];
  try {
    for (const p of pairs) {
      const tool = tools.get(p.tool);
      if (!tool) {
        rows.push(na(p.figure, p.what, 'ms', `no ${p.tool} tool exported from src/tools yet`, p.target?.text));
        continue;
      }
      const ts: number[] = [];
      const bs: number[] = [];
      const rs: number[] = [];
      let failure: string | undefined;
      for (let i = 0; i < o.warmup + o.runs && !failure; i++) {
        const b = await p.baseline();
        const ref = p.reference && (await p.reference.run());
        let t: Awaited<ReturnType<typeof runTool>>;
        try {
          t = await runTool(tool, p.input, ctx);
        } catch (err) {
          failure = `${p.tool} threw: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
          break;
        }
        failure = t.isError ? `${p.tool} answered an error: ${t.text.split('\n')[0].slice(0, 160)}` : p.check(t.text, b.out);
        if (i >= o.warmup) {
          ts.push(t.ms);
          bs.push(b.ms);
          if (ref) rs.push(ref.ms);
        }
      }
      if (failure) {
        rows.push(na(p.figure, p.what, 'ms', failure, p.target?.text));
        continue;
      }
      const v = median(ts);
      const base = median(bs);
      const ratio = ratioOf(v, base);
      const notes = [p.note];
      if (p.reference && rs.length) {
        const r = median(rs);
        notes.push(`with ripgrep sorting the same way itself, ${p.reference.label} took ${r.toFixed(0)} ms (the tool: ${ratioOf(v, r)?.toFixed(2) ?? '?'}× that)`);
      }
      if (p.figure === '6a') notes.push(`tools called in-process via run() from an esbuild bundle of src/tools; rg spawned from the bench; tree: ${treeNote}`);
      rows.push({
        figure: p.figure, what: p.what, unit: 'ms', bcode: v, baselineLabel: p.baselineLabel, baseline: base, ratio,
        target: p.target?.text, met: p.target && ratio != null ? ratio <= p.target.max : p.target ? null : undefined,
        samples: { bcode: ts, baseline: bs },
        note: notes.filter(Boolean).join('; ') || undefined,
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}
