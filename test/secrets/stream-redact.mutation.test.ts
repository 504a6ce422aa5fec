/**
 * The stream redactor's edges, in-process (issue 20): what goes out when, for each kind of
 * delta, and that a secret split across pieces never shows in any of them.
 */
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/bedrock/anthropic.js';
import { addSecret } from '../../src/util/redact.js';
import { StreamEventRedactor, StreamRedactor } from '../../src/util/stream-redact.js';

const LITERAL = 'edge-literal-secret-77';
const SPACED = 'two words secret 77';
addSecret(LITERAL);

describe('StreamRedactor: when text goes out', () => {
  it('an empty piece changes nothing; a piece without whitespace waits; the cut is after the last whitespace', () => {
    const r = new StreamRedactor();
    expect(r.push('')).toBe('');
    expect(r.push('abc')).toBe('');
    expect(r.push('def ghi')).toBe('abcdef ');
    expect(r.push('\tjk')).toBe('ghi\t');
    expect(r.push('')).toBe('');
    expect(r.flush()).toBe('jk');
    expect(r.flush()).toBe('');
  });

  it('each kind of whitespace is a cut', () => {
    for (const ws of [' ', '\n', '\t', '\r', '\u00a0']) {
      const r = new StreamRedactor();
      expect(r.push(`one${ws}two`), JSON.stringify(ws)).toBe(`one${ws}`);
    }
  });

  it('a held Authorization line is released by its line break, and what follows flows again', () => {
    const r = new StreamRedactor();
    expect(r.push('x Authorization: Bearer abc def ')).toBe('x ');
    expect(r.push('ghi ')).toBe('');
    expect(r.push('jkl\nnext ')).toBe('Authorization: [REDACTED]\nnext ');
    expect(r.push('more words ')).toBe('more words ');
  });

  it('a long Authorization value (past the small hold) is still masked whole when it ends, whichever piece ends it', () => {
    const value = Array.from({ length: 900 }, (_, i) => `w${i}`).join(' ');
    for (const closer of ['\n', '"', "'", '\r']) {
      const r = new StreamRedactor();
      const outs = [r.push('h Authorization: ')];
      for (const word of value.split(' ')) outs.push(r.push(`${word} `));
      outs.push(r.push(`${closer} after `));
      outs.push(r.flush());
      for (const o of outs) expect(o).not.toContain('w450');
      expect(outs.join('')).toBe(`h Authorization: [REDACTED]${closer} after `);
    }
  });

  it('a long Authorization value ended by a JSON-escaped line break (no closing character) goes out once the hold has doubled, before the block ends', () => {
    const r = new StreamRedactor();
    const outs = [r.push('h Authorization: ')];
    for (let i = 0; i < 600; i++) outs.push(r.push(`w${i} `));
    outs.push(r.push('\\nnext '));
    for (let i = 0; i < 1200; i++) outs.push(r.push('more '));
    const early = outs.join('');
    expect(early.startsWith('h Authorization: [REDACTED]\\nnext more ')).toBe(true);
    expect(early + r.flush()).toBe(`h Authorization: [REDACTED]\\nnext ${'more '.repeat(1200)}`);
  });

  it('a long held Authorization value costs time linear in its length, not quadratic (it is not re-examined on every piece)', () => {
    const r = new StreamRedactor();
    const t0 = performance.now();
    r.push('Authorization: ');
    for (let i = 0; i < 20_000; i++) r.push(`v${i} `);
    const elapsed = performance.now() - t0;
    // About 0.2 s here at a load of 16 on two cores; re-examining every piece takes minutes.
    expect(elapsed).toBeLessThan(5000);
    expect(r.flush()).toBe('Authorization: [REDACTED]');
  });

  it('a long Authorization value that never ends is held to the end, then masked', () => {
    const r = new StreamRedactor();
    const outs = [r.push('Authorization: ')];
    for (let i = 0; i < 3000; i++) outs.push(r.push(`v${i} `));
    expect(outs.join('')).toBe('');
    expect(r.flush()).toBe('Authorization: [REDACTED]');
  });

  it('a registered literal with whitespace is not cut inside, even when it arrives in pieces', () => {
    addSecret(SPACED);
    const r = new StreamRedactor();
    const outs = ['say two ', 'words ', 'secret ', '77 and more ', 'end'].map((p) => r.push(p));
    outs.push(r.flush());
    for (const o of outs) expect(o).not.toMatch(/secret 77|two words/);
    expect(outs.join('')).toBe('say [REDACTED] and more end');
    // Text that only starts like it is released once it cannot become it.
    const r2 = new StreamRedactor();
    expect(r2.push('two words ')).toBe('');
    expect(r2.push('apart ')).toBe('two words apart ');
  });

  it('a piece without whitespace releases held text that can no longer become a spaced literal', () => {
    const r = new StreamRedactor();
    expect(r.push('two words ')).toBe('');
    expect(r.push('x')).toBe('two words ');
    expect(r.flush()).toBe('x');
  });

  it('a literal ending in whitespace, whole before the cut, goes out masked at once', () => {
    addSecret('ends with space ');
    const r = new StreamRedactor();
    expect(r.push('x ends with space ')).toBe('x [REDACTED]');
    expect(r.push('y ')).toBe('y ');
  });

  it('a literal split with no whitespace in the piece still waits (the piece is examined for spaced secrets)', () => {
    const r = new StreamRedactor();
    expect(r.push('a two')).toBe('a ');
    expect(r.push(' words secret')).toBe('');
    expect(r.push(' 7')).toBe('');
    expect(r.push('7')).toBe('');
    expect(r.flush()).toBe('[REDACTED]');
  });
});

describe('StreamEventRedactor', () => {
  const start: StreamEvent = { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } };

  it('message_start passes through; a delta whose text is all held becomes nothing', () => {
    const r = new StreamEventRedactor();
    expect(r.process(start)).toEqual([start]);
    expect(r.process({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'held' } })).toEqual([]);
  });

  it('each delta kind keeps its kind and field; an empty delta passes as it is', () => {
    const r = new StreamEventRedactor();
    r.process(start);
    const thinking: StreamEvent = { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: `t ${LITERAL} u` } };
    expect(r.process(thinking)).toEqual([{ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 't [REDACTED] ' } }]);
    expect(r.process({ type: 'content_block_stop', index: 0 })).toEqual([{ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'u' } }, { type: 'content_block_stop', index: 0 }]);
    const json: StreamEvent = { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: `{"a": "${LITERAL}"` } };
    expect(r.process(json)).toEqual([{ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a": ' } }]);
    expect(r.process({ type: 'content_block_stop', index: 1 })).toEqual([{ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"[REDACTED]"' } }, { type: 'content_block_stop', index: 1 }]);
    const empty: StreamEvent = { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: '' } };
    expect(r.process(empty)).toEqual([empty]);
    expect(r.process({ type: 'content_block_stop', index: 2 })).toEqual([{ type: 'content_block_stop', index: 2 }]);
  });

  it('message_delta and message_stop flush every block still open, in order, before themselves', () => {
    const r = new StreamEventRedactor();
    r.process(start);
    r.process({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'zero' } });
    r.process({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'one' } });
    const md = { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } } as StreamEvent;
    expect(r.process(md)).toEqual([{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'zero' } }, { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'one' } }, md]);
    r.process({ type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'three' } });
    expect(r.process({ type: 'message_stop' })).toEqual([{ type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'three' } }, { type: 'message_stop' }]);
    expect(r.process({ type: 'message_stop' })).toEqual([{ type: 'message_stop' }]);
  });

  it("a block's stop flushes that block only; another block's held text waits for its own stop", () => {
    const r = new StreamEventRedactor();
    r.process(start);
    r.process({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'zero' } });
    r.process({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'one' } });
    expect(r.process({ type: 'content_block_stop', index: 0 })).toEqual([{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'zero' } }, { type: 'content_block_stop', index: 0 }]);
    expect(r.process({ type: 'content_block_stop', index: 1 })).toEqual([{ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'one' } }, { type: 'content_block_stop', index: 1 }]);
  });

  it('other events pass unchanged; a block whose text all went out adds nothing at its stop', () => {
    const r = new StreamEventRedactor();
    const ping = { type: 'ping' } as unknown as StreamEvent;
    expect(r.process(ping)).toEqual([ping]);
    const blockStart: StreamEvent = { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } };
    expect(r.process(blockStart)).toEqual([blockStart]);
    expect(r.process({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'done ' } })).toEqual([{ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'done ' } }]);
    expect(r.process({ type: 'content_block_stop', index: 0 })).toEqual([{ type: 'content_block_stop', index: 0 }]);
  });
});
