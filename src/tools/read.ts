import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ImageBlock } from '../bedrock/anthropic.js';
import { errnoCode, missingPathMessage, resolvePath } from './paths.js';
import { rememberReadResult, unchangedReadNote } from './read-state.js';
import { fail, ok, plural } from './result.js';
import { decodeText, describeEncoding, SNIFF_BYTES, sniffEncoding, type TextEncoding } from './text-encoding.js';
import type { Tool, ToolContext, ToolResult } from './types.js';

export const READ_DEFAULT_LIMIT = 2000;
export const READ_MAX_LINE_CHARS = 2000;
/** A page of output stays well inside one request's budget even with long lines. */
export const READ_MAX_OUTPUT_CHARS = 100_000;
/** The API's limit is 5 MB of base64, about 3.75 MB of image bytes. */
const MAX_IMAGE_BYTES = 3_750_000;
/** Counting a file's lines past the shown page stops here; beyond it "more lines follow" is enough. */
const COUNT_LINES_UP_TO_BYTES = 64 * 1024 * 1024;

const inputSchema = z.object({
  file_path: z.string().min(1).describe('Absolute path'),
  offset: z.number().int().min(0).optional().describe('1-based line to start at'),
  limit: z.number().int().min(1).optional().describe('Max lines'),
});
type Input = z.infer<typeof inputSchema>;

export const readTool: Tool<Input> = {
  name: 'Read',
  description:
    `Read a file. Text comes back as numbered lines ("N<tab>text"), up to ${READ_DEFAULT_LIMIT} lines unless offset/limit are given; lines over ${READ_MAX_LINE_CHARS} chars are cut. ` +
    'PNG/JPEG/GIF/WebP images are shown as images. Binary files are refused; use LS for directories. Read a file before editing it.',
  inputSchema,
  isReadOnly: () => true,
  run: async (input, ctx) => {
    try {
      return await readFile(input, ctx);
    } catch (err) {
      // Permissions can differ between stat and open; a race with a deletion too.
      const code = errnoCode(err);
      if (code === 'EACCES' || code === 'EPERM') return fail(`Permission denied reading ${resolvePath(ctx, input.file_path)}.`);
      if (code === 'ENOENT') return fail(await missingPathMessage(resolvePath(ctx, input.file_path)));
      if (ctx.signal.aborted) return fail('Interrupted.');
      throw err;
    }
  },
};

/** UTF-16 files are decoded whole; past this size they are refused rather than loaded. */
const MAX_UTF16_BYTES = 32 * 1024 * 1024;

async function readFile(input: Input, ctx: ToolContext): Promise<ToolResult> {
  const abs = resolvePath(ctx, input.file_path);
  let st;
  try {
    st = await fs.stat(abs);
  } catch (err) {
    if (errnoCode(err) === 'ENOTDIR') return fail(await missingPathMessage(abs));
    throw err;
  }
  if (st.isDirectory()) return fail(`${abs} is a directory, not a file. Use LS to list it.`);
  if (!st.isFile()) return fail(`${abs} is not a regular file (device, socket or pipe); Read only reads files.`);

  const image = await readImage(abs, st.size);
  if (image) {
    if (typeof image === 'string') return fail(image);
    ctx.readFiles.set(abs, st.mtimeMs);
    return { forModel: [image], forDisplay: `Read image (${formatBytes(st.size)})`, data: { type: 'image', file: { filePath: abs, type: image.source.media_type, originalSize: st.size } } };
  }

  const handle = await fs.open(abs, 'r');
  let sample: Buffer;
  try {
    const buf = Buffer.alloc(Math.min(SNIFF_BYTES, st.size));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    sample = buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const encoding = sniffEncoding(sample, sample.length >= st.size);
  if (!encoding) {
    const kind = path.extname(abs).toLowerCase() === '.pdf' ? 'a PDF' : 'a binary file';
    return fail(`${abs} is ${kind} (${formatBytes(st.size)}); Read shows text files and images only.`);
  }
  if (st.size === 0) {
    ctx.readFiles.set(abs, st.mtimeMs);
    return { ...ok(`(${abs} is empty)`, 'Read empty file'), data: textFileData(abs, '', 0, 1, 0) };
  }

  const wide = encoding.name === 'utf16le' || encoding.name === 'utf16be';
  if (wide && st.size > MAX_UTF16_BYTES) return fail(`${abs} is a ${formatBytes(st.size)} UTF-16 file; convert it (e.g. iconv -f UTF-16 -t UTF-8) and read the copy.`);
  const start = Math.max(1, input.offset ?? 1);
  const limit = input.limit ?? READ_DEFAULT_LIMIT;
  const page = wide
    ? pageFromText(decodeText(await fs.readFile(abs), encoding), start, limit)
    : await pageFromStream(abs, encoding, start, limit, ctx.signal);
  const text = renderPage(page, start, encoding);
  const note = unchangedReadNote(ctx, abs, input.offset, input.limit, st.mtimeMs, text);
  ctx.readFiles.set(abs, st.mtimeMs);
  if (note) return ok(note, 'Read: unchanged since the last read');
  rememberReadResult(ctx, abs, input.offset, input.limit, st.mtimeMs, text);
  const data = textFileData(abs, page.lines.join('\n'), page.lines.length, start, page.total ?? start + page.lines.length - 1);
  return { ...ok(text, `Read ${plural(page.lines.length, 'line')}`), data };
}

/** Read's `tool_use_result` for a text file: the lines read (without the line numbers the model sees). */
function textFileData(filePath: string, content: string, numLines: number, startLine: number, totalLines: number) {
  return { type: 'text', file: { filePath, content, numLines, startLine, totalLines } };
}

interface Page {
  /** The selected lines, already cut to READ_MAX_LINE_CHARS. */
  lines: string[];
  /** Total lines in the file, or undefined when counting stopped early. */
  total: number | undefined;
  cutLines: number;
}

function renderPage(page: Page, start: number, encoding: TextEncoding): string {
  if (page.lines.length === 0) {
    return `${page.total === undefined ? 'The file' : `The file has ${plural(page.total, 'line')};`} offset ${start} is past its end.`;
  }
  const out: string[] = [];
  let chars = 0;
  let shown = 0;
  for (const line of page.lines) {
    // The number as is, no padding: a padded prefix costs every line of every page a few tokens
    // for the whole life of the conversation, and the tab already separates it from the text.
    const row = `${start + shown}\t${line}`;
    if (chars + row.length + 1 > READ_MAX_OUTPUT_CHARS && shown > 0) break;
    out.push(row);
    chars += row.length + 1;
    shown++;
  }
  const last = start + shown - 1;
  const notes: string[] = [];
  if (page.total === undefined || last < page.total) {
    notes.push(`Showing lines ${start}-${last}${page.total === undefined ? '' : ` of ${page.total}`}; read on with offset ${last + 1}.`);
  }
  if (page.cutLines > 0) notes.push(`${plural(page.cutLines, 'line')} longer than ${READ_MAX_LINE_CHARS} chars cut (marked …).`);
  if (encoding.name !== 'utf8') notes.push(`Decoded as ${describeEncoding(encoding)}; edits keep that encoding.`);
  return notes.length ? `${out.join('\n')}\n\n(${notes.join(' ')})` : out.join('\n');
}

function cutLine(line: string, page: Page, alreadyCut = false): string {
  const bare = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (bare.length <= READ_MAX_LINE_CHARS && !alreadyCut) return bare;
  page.cutLines++;
  return `${bare.slice(0, READ_MAX_LINE_CHARS)}…`;
}

function pageFromText(text: string, start: number, limit: number): Page {
  const all = text.split('\n');
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  const page: Page = { lines: [], total: all.length, cutLines: 0 };
  page.lines = all.slice(start - 1, start - 1 + limit).map((l) => cutLine(l, page));
  return page;
}

/**
 * Walks the file in chunks and decodes only the lines asked for, so a page from the end of a
 * large file costs a newline scan, not a full decode or a copy of the file in memory.
 */
async function pageFromStream(abs: string, encoding: TextEncoding, start: number, limit: number, signal: AbortSignal): Promise<Page> {
  const end = start + limit - 1;
  const page: Page = { lines: [], total: undefined, cutLines: 0 };
  // Bytes of the line being built; a very long line keeps only enough bytes to show its cut form.
  const maxLineBytes = READ_MAX_LINE_CHARS * 4 + 4;
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let overlong = false;
  let lineNo = 0;
  let partial = false;
  let scanned = 0;
  let stoppedEarly = false;

  const take = (piece: Buffer) => {
    if (pieceBytes >= maxLineBytes) {
      overlong = true;
      return;
    }
    const room = maxLineBytes - pieceBytes;
    if (piece.length > room) overlong = true;
    const kept = piece.subarray(0, room);
    pieces.push(kept);
    pieceBytes += kept.length;
  };
  const finishLine = () => {
    let bytes = Buffer.concat(pieces);
    if (lineNo === 0 && encoding.bom.length) bytes = bytes.subarray(encoding.bom.length);
    page.lines.push(cutLine(bytes.toString(encoding.name === 'latin1' ? 'latin1' : 'utf8'), page, overlong));
    pieces = [];
    pieceBytes = 0;
    overlong = false;
  };

  const stream = createReadStream(abs, { highWaterMark: 1024 * 1024, signal });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      scanned += chunk.length;
      let pos = 0;
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        const current = lineNo + 1;
        const wanted = current >= start && current <= end;
        if (nl === -1) {
          if (wanted) take(chunk.subarray(pos));
          if (chunk.length > pos) partial = true;
          break;
        }
        if (wanted) {
          take(chunk.subarray(pos, nl));
          finishLine();
        }
        lineNo++;
        partial = false;
        pos = nl + 1;
      }
      if (lineNo >= end && scanned > COUNT_LINES_UP_TO_BYTES) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    stream.destroy();
  }
  if (!stoppedEarly) {
    if (partial && lineNo + 1 >= start && lineNo + 1 <= end) finishLine();
    page.total = lineNo + (partial ? 1 : 0);
  }
  return page;
}

const IMAGE_TYPES: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/** An image block, an error message, or undefined when the file is not an image. */
async function readImage(abs: string, size: number): Promise<ImageBlock | string | undefined> {
  if (!IMAGE_TYPES[path.extname(abs).toLowerCase()]) return undefined;
  if (size > MAX_IMAGE_BYTES) return `${abs} is an image of ${formatBytes(size)}; images over ${formatBytes(MAX_IMAGE_BYTES)} cannot be sent to the model. Shrink it first (e.g. with a Bash command).`;
  const bytes = await fs.readFile(abs);
  const mediaType = imageTypeFromBytes(bytes);
  if (!mediaType) return `${abs} has an image extension but is not a PNG, JPEG, GIF or WebP image.`;
  return { type: 'image', source: { type: 'base64', media_type: mediaType, data: bytes.toString('base64') } };
}

function imageTypeFromBytes(b: Buffer): string | undefined {
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && b.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (b.length >= 12 && b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
