import { createHash } from 'node:crypto';

/**
 * Full Read results the model still has in its conversation, so that reading the same unchanged
 * page again is answered with a one-line note instead of the whole text (a long session re-reads
 * files often, and each copy is paid on every later request).
 *
 * The record belongs to one conversation (`ToolContext.readResults`; a sub-agent has none, so it
 * never gets the note for a page only its parent saw). An entry only counts while the session's
 * `readFiles` (the read-before-edit record, cleared by rewind and /clear) still holds the very
 * mtime of that read; Edit and Write record a new mtime, and the page's hash must match too, so a
 * change by anyone brings the full text back. Compaction calls `forgetReadResults`, since the
 * earlier result may be among the summarised messages.
 */
export interface ReadSeen {
  mtimeMs: number;
  hash: string;
}
export type ReadResults = Map<string, ReadSeen>;

interface Holder {
  readFiles: Map<string, number>;
  readResults?: ReadResults;
}

function keyOf(abs: string, offset: number | undefined, limit: number | undefined): string {
  return `${abs}\0${offset ?? ''}\0${limit ?? ''}`;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

/** The note sent instead of the page when it is already in the conversation unchanged, else undefined. */
export function unchangedReadNote(ctx: Holder, abs: string, offset: number | undefined, limit: number | undefined, mtimeMs: number, text: string): string | undefined {
  const seen = ctx.readResults?.get(keyOf(abs, offset, limit));
  if (!seen || ctx.readFiles.get(abs) !== seen.mtimeMs || seen.mtimeMs !== mtimeMs || seen.hash !== hashOf(text)) return undefined;
  const note = `${abs} is unchanged since you last read it (same lines); that earlier Read result is still current.`;
  // A small page costs less than the note that stands for it.
  return note.length < text.length ? note : undefined;
}

/** Records a full page just sent to the model. */
export function rememberReadResult(ctx: Holder, abs: string, offset: number | undefined, limit: number | undefined, mtimeMs: number, text: string): void {
  ctx.readResults?.set(keyOf(abs, offset, limit), { mtimeMs, hash: hashOf(text) });
}

/** After compaction: no earlier page is known to be in the conversation any more. */
export function forgetReadResults(ctx: Holder): void {
  ctx.readResults?.clear();
}
