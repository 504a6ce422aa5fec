/**
 * How bcode reads and writes text files: UTF-8 (with or without a BOM), UTF-16 with a BOM,
 * and anything else that is not valid UTF-8 taken as Latin-1, so legacy files can be read
 * and edited without mangling their bytes. A file with NUL bytes or mostly control characters
 * is binary and refused.
 */
export type TextEncodingName = 'utf8' | 'utf16le' | 'utf16be' | 'latin1';

export interface TextEncoding {
  name: TextEncodingName;
  /** The byte-order mark the file starts with, kept on write. */
  bom: Uint8Array;
}

const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);
const UTF16LE_BOM = Uint8Array.of(0xff, 0xfe);
const UTF16BE_BOM = Uint8Array.of(0xfe, 0xff);

export const SNIFF_BYTES = 64 * 1024;

/** Decides from the first bytes of a file; `undefined` means binary. */
export function sniffEncoding(sample: Uint8Array, isWholeFile: boolean): TextEncoding | undefined {
  if (startsWith(sample, UTF8_BOM)) return { name: 'utf8', bom: UTF8_BOM };
  if (startsWith(sample, UTF16LE_BOM)) return { name: 'utf16le', bom: UTF16LE_BOM };
  if (startsWith(sample, UTF16BE_BOM)) return { name: 'utf16be', bom: UTF16BE_BOM };
  if (looksBinary(sample)) return undefined;
  return { name: isValidUtf8(sample, !isWholeFile) ? 'utf8' : 'latin1', bom: new Uint8Array(0) };
}

function looksBinary(sample: Uint8Array): boolean {
  if (sample.length === 0) return false;
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    // Tab, LF, VT, FF, CR and ESC (colour codes in logs) are ordinary in text files.
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 11 && b !== 12 && b !== 13 && b !== 27) control++;
  }
  return control / sample.length > 0.1;
}

function isValidUtf8(bytes: Uint8Array, mayBeCut: boolean): boolean {
  try {
    // `stream: true` tolerates a multi-byte character cut at the end of a sample.
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: mayBeCut });
    return true;
  } catch {
    return false;
  }
}

function startsWith(a: Uint8Array, prefix: Uint8Array): boolean {
  if (a.length < prefix.length) return false;
  return prefix.every((b, i) => a[i] === b);
}

export function decodeText(bytes: Uint8Array, enc: TextEncoding): string {
  const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(enc.bom.length);
  switch (enc.name) {
    case 'utf8':
      return body.toString('utf8');
    case 'latin1':
      return body.toString('latin1');
    case 'utf16le':
      return body.toString('utf16le');
    case 'utf16be':
      return Buffer.from(body).swap16().toString('utf16le');
  }
}

/** Encodes for writing back; `undefined` when the text has characters the encoding cannot hold. */
export function encodeText(text: string, enc: TextEncoding): Buffer | undefined {
  let body: Buffer;
  switch (enc.name) {
    case 'utf8':
      body = Buffer.from(text, 'utf8');
      break;
    case 'latin1':
      // eslint-disable-next-line no-control-regex -- the Latin-1 range is exactly U+0000–U+00FF
      if (/[^\u0000-\u00ff]/.test(text)) return undefined;
      body = Buffer.from(text, 'latin1');
      break;
    case 'utf16le':
      body = Buffer.from(text, 'utf16le');
      break;
    case 'utf16be':
      body = Buffer.from(text, 'utf16le').swap16();
      break;
  }
  return Buffer.concat([enc.bom, body]);
}

export function describeEncoding(enc: TextEncoding): string {
  const names: Record<TextEncodingName, string> = { utf8: 'UTF-8', latin1: 'Latin-1', utf16le: 'UTF-16LE', utf16be: 'UTF-16BE' };
  return names[enc.name] + (enc.bom.length && enc.name === 'utf8' ? ' with BOM' : '');
}
