import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../src/bedrock/anthropic.js';
import { addSecret, redact } from '../../src/util/redact.js';
import { StreamEventRedactor, StreamRedactor } from '../../src/util/stream-redact.js';

const LITERAL = 'stream-literal-secret-0001xyz';
const SPACED = 'spaced secret value 42';
/** A literal with a quote: only once masked does an Authorization value run on through it. */
const QUOTED = "quote'd-secret-value-01";
addSecret(LITERAL);
addSecret(SPACED);
addSecret(QUOTED);

/** One text per secret kind, each with ordinary text around it. */
const SAMPLES: Record<string, string> = {
  'registered literal': `the value is ${LITERAL}, keep it`,
  'registered literal with spaces': `it said ${SPACED} twice: ${SPACED}.`,
  'registered literal inside an Authorization value': `Authorization: Bearer x ${QUOTED} more words\nnext`,
  'registered literal right before Bearer': `${LITERAL}Bearer abcdefghijklmnop end`,
  'AKIA key id': 'key AKIAIOSFODNN7EXAMPLE used',
  'ASIA key id': 'temporary ASIAY34FZKBOKMUTVV7A, then',
  'session token prefix': 'token IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD done',
  'Authorization header': "curl -H 'Authorization: Bearer abc.def.ghi-123' https://x\nnext line",
  'Authorization header (SigV4, to end of line)': 'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20300101/us-east-1/bedrock/aws4_request, Signature=fe5f80f7\nafter',
  'Authorization value ended by an escaped line break': 'h = "Authorization: Bearer abcdefghijkl\\r\\nHost: x \\ y" done',
  'Authorization value with a lone backslash': 'Authorization: Basic abc\\ def \\ ghi\nnext',
  'aws_secret_access_key=': 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = us-east-1',
  'key = value across lines': 'aws_secret_access_key\n  =\n  wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
  'JSON key/value': '{"SecretAccessKey": "abc/def+ghi/jkl+mnop", "SessionToken": "tok1234567890abcdef"}',
  'bedrock-api-key': 'key bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbA== here',
  'ABSK key': 'key ABSKQmVkcm9ja0FQSUtleS1sb25nLXRlcm0tZXhhbXBsZQ== here',
  'Bearer scheme': 'sent Bearer   abcdefghijklmnopqrst to it',
  'query string': 'GET /?X-Amz-Security-Token=abc%2Fdef%2Bghi%3D0123&X-Amz-Signature=0123abcd0123abcd0123abcd&X-Amz-Date=1 ok',
  'look-alikes (left alone)': 'XAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLEX; sessionToken: this.token; the token budget',
};

function streamed(pieces: string[]): string {
  const r = new StreamRedactor();
  return pieces.map((p) => r.push(p)).join('') + r.flush();
}

/** A seeded generator, so that a failure names a reproducible case. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function randomPieces(text: string, rand: () => number, maxLen: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    const n = 1 + Math.floor(rand() * maxLen);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

describe('StreamRedactor: the joined output is redact() of the joined input', () => {
  for (const [kind, text] of Object.entries(SAMPLES)) {
    it(`${kind}: split in two at every offset`, () => {
      const want = redact(text);
      for (let i = 0; i <= text.length; i++) expect(streamed([text.slice(0, i), text.slice(i)]), `split at ${i}`).toBe(want);
    });

    it(`${kind}: split in three at every pair of offsets, and char by char`, () => {
      const want = redact(text);
      for (let i = 0; i <= text.length; i++) {
        for (let j = i; j <= text.length; j++) expect(streamed([text.slice(0, i), text.slice(i, j), text.slice(j)]), `split at ${i}, ${j}`).toBe(want);
      }
      expect(streamed([...text])).toBe(want);
    });
  }

  it('random texts mixing secrets, keywords, quotes and line breaks, in random pieces', () => {
    const parts = [
      ...Object.values(SAMPLES),
      LITERAL,
      SPACED,
      QUOTED,
      'Authorization',
      'authorization:',
      ': ',
      '=',
      '"',
      "'",
      '\n',
      '\r\n',
      '\\n',
      '\\',
      ' ',
      '  ',
      '\t',
      'Bearer',
      'Bearer ',
      'aws_session_token',
      'x-amz-security-token',
      'AKIA',
      'IQoJb3JpZ2lu',
      'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'abcdefghijklmnop',
      'word',
      '.',
      '(',
      '[REDACTED]',
      'spaced secret',
    ];
    const rand = rng(20250101);
    for (let n = 0; n < 400; n++) {
      let text = '';
      const count = 1 + Math.floor(rand() * 12);
      for (let k = 0; k < count; k++) text += parts[Math.floor(rand() * parts.length)];
      const want = redact(text);
      for (const maxLen of [1, 3, 8, 40]) expect(streamed(randomPieces(text, rand, maxLen)), JSON.stringify(text)).toBe(want);
    }
  });
});

describe('StreamRedactor: latency', () => {
  it('ordinary text flows with at most a word of delay', () => {
    const r = new StreamRedactor();
    expect(r.push('Hello the')).toBe('Hello ');
    expect(r.push('re, how ')).toBe('there, how ');
    expect(r.push('are you')).toBe('are ');
    expect(r.flush()).toBe('you');
  });

  it('prose that merely mentions tokens and secrets is not held', () => {
    const r = new StreamRedactor();
    expect(r.push('The token budget and the secret garden are ')).toBe('The token budget and the secret garden are ');
  });

  it('holds an Authorization line until it ends, then emits it masked', () => {
    const r = new StreamRedactor();
    expect(r.push('before Authorization: Bea')).toBe('before ');
    expect(r.push('rer abc.def.ghi-123 and more ')).toBe('');
    expect(r.push('words\nafter ')).toBe('Authorization: [REDACTED]\nafter ');
  });

  it('holds a key = value head until its value has come', () => {
    const r = new StreamRedactor();
    expect(r.push('aws_secret_access_key = ')).toBe('');
    expect(r.push('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n')).toBe('aws_secret_access_key = [REDACTED]\n');
  });

  it('a secret split over many pieces never shows in any piece', () => {
    const r = new StreamRedactor();
    const text = `the key ${LITERAL} and AKIAIOSFODNN7EXAMPLE end`;
    const outs = [...text].map((c) => r.push(c));
    outs.push(r.flush());
    for (const o of outs) {
      expect(o).not.toContain('AKIAIOSF');
      expect(o).not.toContain('0001xyz');
    }
    expect(outs.join('')).toBe('the key [REDACTED] and [REDACTED] end');
  });
});

describe('StreamEventRedactor', () => {
  const start: StreamEvent = { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } };
  const textDelta = (index: number, text: string): StreamEvent => ({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } });
  const joined = (events: StreamEvent[], index: number): string =>
    events
      .map((e) => (e.type === 'content_block_delta' && e.index === index ? (e.delta.type === 'text_delta' ? e.delta.text : e.delta.type === 'input_json_delta' ? e.delta.partial_json : e.delta.type === 'thinking_delta' ? e.delta.thinking : '') : ''))
      .join('');

  it('redacts text, thinking and tool-input JSON over each block and flushes before the stop', () => {
    const r = new StreamEventRedactor();
    const secretJson = JSON.stringify({ command: `echo ${LITERAL} AKIAIOSFODNN7EXAMPLE` });
    const input: StreamEvent[] = [
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      ...randomPieces(`I saw ${LITERAL} there`, rng(1), 4).map((t): StreamEvent => ({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: t } })),
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'c2ln' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      ...randomPieces('key AKIAIOSFODNN7EXAMPLE', rng(2), 3).map((t) => textDelta(1, t)),
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 't', name: 'Bash', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } },
      ...randomPieces(secretJson, rng(3), 5).map((t): StreamEvent => ({ type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: t } })),
      { type: 'content_block_stop', index: 2 },
      { type: 'message_stop' },
    ];
    const out = input.flatMap((e) => r.process(e));
    expect(joined(out, 0)).toBe('I saw [REDACTED] there');
    expect(joined(out, 1)).toBe('key [REDACTED]');
    expect(joined(out, 2)).toBe(redact(secretJson));
    expect(JSON.stringify(out)).not.toContain(LITERAL);
    expect(JSON.stringify(out)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    // Each block's last text comes before its stop; signatures and stops pass unchanged.
    const stops = out.map((e, i) => (e.type === 'content_block_stop' ? i : -1)).filter((i) => i >= 0);
    expect(stops).toHaveLength(3);
    expect(out.some((e) => e.type === 'content_block_delta' && e.delta.type === 'signature_delta')).toBe(true);
    expect(out.at(-1)).toEqual({ type: 'message_stop' });
  });

  it('a new message drops what a broken one held', () => {
    const r = new StreamEventRedactor();
    r.process(start);
    r.process({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(r.process(textDelta(0, 'half AKIAIOSF'))).toEqual([textDelta(0, 'half ')]);
    r.process(start);
    r.process({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    expect(r.process({ type: 'content_block_stop', index: 0 })).toEqual([{ type: 'content_block_stop', index: 0 }]);
  });
});
