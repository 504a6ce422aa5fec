/**
 * Redaction of text that arrives in pieces (R2). Redacting each piece alone lets a secret split
 * across two deltas through; redacting the joined text needs the whole text. `StreamRedactor`
 * emits as it goes, and what it emits, joined, is exactly `redact()` of the joined input.
 *
 * How: it cuts the stream only just after a whitespace character, and only where nothing that
 * `redact()` masks can straddle the cut. Most patterns (key ids, bearer keys, session tokens,
 * registered literals) never contain whitespace, so they cannot straddle such a cut, and their
 * look-arounds see the same thing on both sides (whitespace and the start/end of the text look
 * alike to them). The three that can span whitespace — `Authorization:` values, `name = value`
 * heads, `Bearer <token>` — hold the text back from where they begin while they are open
 * (`openMatchStart`), as does a registered literal containing whitespace. So ordinary text lags
 * by at most one word; a line with an `Authorization:` header waits for its end.
 */
import type { StreamEvent } from '../bedrock/anthropic.js';
import { openMatchStart, redact, registeredSecrets } from './redact.js';

const WHITESPACE = /\s/;

/** Held text up to this length is re-examined on every piece; longer, see `push`. */
const SMALL_HOLD = 2048;
/** What can end an open `Authorization:` value — the only open match that grows long. */
const CLOSERS = /["'\r\n]/;

export class StreamRedactor {
  private pending = '';
  /** Length of `pending` when it was last examined and nothing could go out. */
  private refusedAt = 0;

  /** Adds a piece; returns the redacted text that can safely go out now (often ''). */
  push(piece: string): string {
    this.pending += piece;
    // Appending text without whitespace adds no cut, and the cuts already refused stay refused:
    // their left side is unchanged (unless a literal with whitespace might no longer straddle).
    if (!WHITESPACE.test(piece) && !hasSpacedSecret()) return '';
    // A long hold is an Authorization value running on: re-examining it on every piece would
    // cost time quadratic in its length, so wait for a character that can end it (or for the
    // hold to double). Holding longer never changes what goes out, only when.
    const long = this.refusedAt > SMALL_HOLD;
    if (long && !CLOSERS.test(piece) && this.pending.length < 2 * this.refusedAt) return '';
    const cut = safeCut(this.pending);
    if (cut === 0) {
      this.refusedAt = this.pending.length;
      return '';
    }
    this.refusedAt = 0;
    const out = redact(this.pending.slice(0, cut));
    this.pending = this.pending.slice(cut);
    return out;
  }

  /** The rest, redacted: at the end of the content block. */
  flush(): string {
    const out = redact(this.pending);
    this.pending = '';
    this.refusedAt = 0;
    return out;
  }
}

/** The largest cut in `s` (a position just after whitespace) that nothing redacted can straddle; 0 if none. */
function safeCut(s: string): number {
  let c = cutAtOrBefore(s, s.length);
  // `> 0` rather than `!== 0`: c is never negative, but a wrong position must end the loop, not hang the output.
  while (c > 0) {
    const open = openMatchStart(s.slice(0, c));
    if (open >= 0) c = cutAtOrBefore(s, open);
    else if (spacedSecretStraddles(s, c)) c = cutAtOrBefore(s, c - 1);
    else return c;
  }
  return 0;
}

/** The largest position p ≤ max (max ≥ 0) with whitespace at p-1, or 0. */
function cutAtOrBefore(s: string, max: number): number {
  // Stryker disable next-line EqualityOperator: `p >= 0` tests s[-1] (undefined, never whitespace) once more; `> 0` and not `!== 0`, so a negative max cannot loop forever
  for (let p = max; p > 0; p--) if (WHITESPACE.test(s[p - 1])) return p;
  return 0;
}

function hasSpacedSecret(): boolean {
  for (const secret of registeredSecrets()) if (WHITESPACE.test(secret)) return true;
  return false;
}

/** Whether a registered literal containing whitespace covers, or may yet cover, both sides of cut `c`. */
function spacedSecretStraddles(s: string, c: number): boolean {
  for (const secret of registeredSecrets()) {
    for (let j = 1; j < secret.length; j++) {
      if (!WHITESPACE.test(secret[j - 1]) || j > c) continue;
      const after = s.slice(c, c + secret.length - j);
      if (s.startsWith(secret.slice(0, j), c - j) && secret.slice(j).startsWith(after)) return true;
    }
  }
  return false;
}

type TextDelta = { type: 'text_delta'; text: string } | { type: 'thinking_delta'; thinking: string } | { type: 'input_json_delta'; partial_json: string };

/**
 * `StreamRedactor` over a model's stream events: one per content block for its text, thinking
 * and tool-input JSON deltas. A delta whose text is held back is dropped; what is held goes out
 * as one more delta just before the block's `content_block_stop`.
 */
export class StreamEventRedactor {
  private readonly blocks = new Map<number, { redactor: StreamRedactor; kind?: TextDelta['type'] }>();

  process(event: StreamEvent): StreamEvent[] {
    switch (event.type) {
      case 'message_start':
        // A new message (or the retry of a broken one): what the last one held is void.
        this.blocks.clear();
        return [event];
      case 'content_block_delta': {
        const d = event.delta;
        if (d.type === 'signature_delta') return [event];
        const text = d.type === 'text_delta' ? d.text : d.type === 'thinking_delta' ? d.thinking : d.partial_json;
        if (text === '') return [event];
        const block = this.block(event.index);
        block.kind = d.type;
        const out = block.redactor.push(text);
        return out ? [{ type: 'content_block_delta', index: event.index, delta: makeDelta(d.type, out) }] : [];
      }
      case 'content_block_stop':
        return [...this.flush(event.index), event];
      case 'message_delta':
      case 'message_stop':
        return [...[...this.blocks.keys()].flatMap((i) => this.flush(i)), event];
      default:
        return [event];
    }
  }

  private block(index: number): { redactor: StreamRedactor; kind?: TextDelta['type'] } {
    let b = this.blocks.get(index);
    if (!b) this.blocks.set(index, (b = { redactor: new StreamRedactor() }));
    return b;
  }

  private flush(index: number): StreamEvent[] {
    const b = this.blocks.get(index);
    this.blocks.delete(index);
    if (!b?.kind) return [];
    const rest = b.redactor.flush();
    return rest ? [{ type: 'content_block_delta', index, delta: makeDelta(b.kind, rest) }] : [];
  }
}

function makeDelta(kind: TextDelta['type'], text: string): TextDelta {
  if (kind === 'text_delta') return { type: kind, text };
  if (kind === 'thinking_delta') return { type: kind, thinking: text };
  return { type: kind, partial_json: text };
}
