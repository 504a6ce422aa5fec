import { promises as fs } from 'node:fs';
import { atomicWriteFile } from '../util/atomic-write.js';
import { decodeText, encodeText, sniffEncoding, type TextEncoding } from './text-encoding.js';

export interface TextFile {
  text: string;
  encoding: TextEncoding;
  /** CRLF when the file uses Windows line endings, which edits keep. */
  eol: '\n' | '\r\n';
  mtimeMs: number;
}

export class NotTextError extends Error {}

export async function readTextFile(abs: string): Promise<TextFile> {
  const [bytes, st] = await Promise.all([fs.readFile(abs), fs.stat(abs)]);
  const encoding = sniffEncoding(bytes, true);
  if (!encoding) throw new NotTextError(`${abs} is a binary file; it cannot be edited as text.`);
  const text = decodeText(bytes, encoding);
  return { text, encoding, eol: detectEol(text), mtimeMs: st.mtimeMs };
}

export function detectEol(text: string): '\n' | '\r\n' {
  const crlf = text.split('\r\n').length - 1;
  if (crlf === 0) return '\n';
  const lf = text.split('\n').length - 1 - crlf;
  return crlf >= lf ? '\r\n' : '\n';
}

/** Writes atomically in the file's own encoding; returns the new mtime. */
export async function writeTextFile(abs: string, text: string, encoding: TextEncoding): Promise<number> {
  const bytes = encodeText(text, encoding);
  if (!bytes) throw new NotTextError(`the new text has characters that ${abs}'s Latin-1 encoding cannot hold; use only Latin-1 characters or rewrite the file as UTF-8 with Write.`);
  await atomicWriteFile(abs, bytes);
  return (await fs.stat(abs)).mtimeMs;
}
