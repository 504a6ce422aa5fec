import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { failedBeforeStart, type RunResult } from '../../src/agent/events.js';
import type { RetryNotice } from '../../src/bedrock/types.js';
import { TextRenderer } from '../../src/ui/print-text.js';
import { JsonRenderer } from '../../src/ui/print-json.js';

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const wait = (attempt: number, delayMs: number, extra: Partial<RetryNotice> = {}): RetryNotice => ({ attempt, maxRetries: 8, delayMs, reason: 'rate_limit', status: 429, message: 'Too many tokens, please wait before trying again.', ...extra });
const success: RunResult = { ...failedBeforeStart('s'), subtype: 'success', isError: false, result: 'the answer' };

describe('R1: every wait is visible in text mode', () => {
  it('on a terminal: one line on stderr, each wait overwriting the last, cleared before the answer', () => {
    const stdout = new Capture(true);
    const stderr = new Capture(true);
    const r = new TextRenderer({ stdout, stderr }, { verbose: false });
    r.emit({ type: 'retrying', notice: wait(1, 1500) });
    r.emit({ type: 'retrying', notice: wait(2, 2250, { restart: true }) });
    r.emit({ type: 'done', result: success });
    expect(stderr.text).toBe(
      '\r\x1b[2Kbcode: Bedrock is throttling (429); retrying in 1.5 s (attempt 1/8)' +
        '\r\x1b[2Kbcode: Bedrock is throttling (429); retrying in 2.3 s (attempt 2/8), the answer starts again' +
        '\r\x1b[2K',
    );
    expect(stdout.text).toBe('the answer\n');
  });

  it('not a terminal: one plain line per wait; --verbose adds Bedrock\'s message; json mode too', () => {
    const stderr = new Capture(false);
    const r = new TextRenderer({ stdout: new Capture(false), stderr }, { verbose: true });
    r.emit({ type: 'retrying', notice: wait(1, 1000) });
    expect(stderr.text.split('\n')[0]).toBe('bcode: Bedrock is throttling (429); retrying in 1.0 s (attempt 1/8): Too many tokens, please wait before trying again.');
    const jsonErr = new Capture(false);
    new JsonRenderer({ stdout: new Capture(false), stderr: jsonErr }, false).emit({ type: 'retrying', notice: wait(3, 4000, { reason: 'network_error', status: undefined }) });
    expect(jsonErr.text).toBe('bcode: the connection failed; retrying in 4.0 s (attempt 3/8)\n');
  });
});
