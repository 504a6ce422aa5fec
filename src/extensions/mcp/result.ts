/**
 * An MCP tools/call result as a tool_result for the model: text stays text, images become image
 * blocks, embedded text resources are quoted with their URI, binary resources and audio are
 * named (the model cannot read them), structured content is sent as JSON when the server gave no
 * text. Long text keeps its start and end, and the whole text goes to a file the model can Read,
 * as with Bash output.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImageBlock, TextBlock } from '../../bedrock/anthropic.js';
import { capHeadTail } from '../../tools/truncate.js';
import type { ToolResult } from '../../tools/types.js';
import type { McpCallResult } from './connection.js';

/** The reference's default for MAX_MCP_OUTPUT_TOKENS (about 4 characters a token). */
export const DEFAULT_MAX_OUTPUT_TOKENS = 25_000;
const CHARS_PER_TOKEN = 4;
/** Media types the Messages API takes as image blocks. */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function maxOutputChars(env: Record<string, string | undefined>): number {
  const n = Number(env.MAX_MCP_OUTPUT_TOKENS);
  return (Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_OUTPUT_TOKENS) * CHARS_PER_TOKEN;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The content blocks of a result, before truncation. */
export function contentBlocks(result: McpCallResult): Array<TextBlock | ImageBlock> {
  const out: Array<TextBlock | ImageBlock> = [];
  for (const item of result.content ?? []) {
    switch (item.type) {
      case 'text':
        out.push({ type: 'text', text: str(item.text) ?? '' });
        break;
      case 'image': {
        const mime = str(item.mimeType) ?? '';
        const data = str(item.data) ?? '';
        if (IMAGE_TYPES.has(mime)) out.push({ type: 'image', source: { type: 'base64', media_type: mime, data } });
        else out.push({ type: 'text', text: `[image of type ${mime || 'unknown'} not shown: only PNG, JPEG, GIF and WebP can be sent to the model]` });
        break;
      }
      case 'audio':
        out.push({ type: 'text', text: `[audio (${str(item.mimeType) ?? 'unknown type'}) not shown: the model cannot hear it]` });
        break;
      case 'resource': {
        const r = (item.resource ?? {}) as Record<string, unknown>;
        const uri = str(r.uri) ?? '(no uri)';
        const text = str(r.text);
        if (text !== undefined) out.push({ type: 'text', text: `[Resource ${uri}${r.mimeType ? ` (${String(r.mimeType)})` : ''}]\n${text}` });
        else if (IMAGE_TYPES.has(str(r.mimeType) ?? '') && str(r.blob)) out.push({ type: 'image', source: { type: 'base64', media_type: str(r.mimeType)!, data: str(r.blob)! } });
        else out.push({ type: 'text', text: `[Binary resource ${uri} (${str(r.mimeType) ?? 'unknown type'}, ${Math.floor(((str(r.blob) ?? '').length * 3) / 4)} bytes) not shown]` });
        break;
      }
      case 'resource_link':
        out.push({ type: 'text', text: `[Resource link: ${str(item.uri) ?? ''}${item.name ? ` (${String(item.name)})` : ''}${item.description ? ` — ${String(item.description)}` : ''}]` });
        break;
      default:
        out.push({ type: 'text', text: `[content of type ${String(item.type)} not shown]` });
    }
  }
  if (!out.some((b) => b.type === 'text') && result.structuredContent !== undefined) out.push({ type: 'text', text: JSON.stringify(result.structuredContent) });
  return out;
}

/** Maps and caps a result. `scratchDir` receives the full text when it was cut. */
export async function toToolResult(toolName: string, result: McpCallResult, options: { maxChars: number; scratchDir: string }): Promise<ToolResult> {
  const blocks = contentBlocks(result);
  const isError = result.isError === true;
  const total = blocks.reduce((n, b) => n + (b.type === 'text' ? b.text.length : 0), 0);
  let forModel: string | Array<TextBlock | ImageBlock>;
  if (total > options.maxChars) {
    // One text (the blocks joined) cut in the middle; the images stay.
    const full = blocks.map((b) => (b.type === 'text' ? b.text : '')).filter(Boolean).join('\n');
    const file = path.join(options.scratchDir, `${toolName}-${Date.now()}-${process.pid}.txt`);
    await fs.writeFile(file, full, { mode: 0o600 });
    const cut = capHeadTail(full, options.maxChars, (n) => `${n} characters omitted`);
    const note = `[The result was ${full.length} characters, over the limit of ${options.maxChars} (MAX_MCP_OUTPUT_TOKENS); the full text is in ${file}]`;
    forModel = [{ type: 'text', text: `${cut}\n${note}` }, ...blocks.filter((b): b is ImageBlock => b.type === 'image')];
  } else if (blocks.length === 1 && blocks[0]!.type === 'text') {
    forModel = blocks[0].text;
  } else {
    forModel = blocks;
  }
  const images = blocks.filter((b) => b.type === 'image').length;
  const firstText = blocks.find((b): b is TextBlock => b.type === 'text')?.text.split('\n', 1)[0] ?? '';
  const display = [firstText.length > 80 ? `${firstText.slice(0, 79)}…` : firstText, images ? `${images} image${images === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ') || '(no output)';
  return { forModel, forDisplay: isError ? `error: ${display}` : display, ...(isError ? { isError } : {}) };
}
