import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import type { AgentEvent, FrontEnd } from '../agent/events.js';
import { denialSummary } from './denials.js';
import { resultObject, writeLine, type PrintStreams } from './output.js';
import { StreamJsonRenderer } from './print-stream-json.js';
import { retryLine } from './retry-line.js';
import { RunClock } from './stream-json-shapes.js';

/**
 * `--output-format json`: one result object on stdout at the end; notices and errors on stderr.
 * With --verbose, every message instead, as one JSON array: the stream-json messages (init,
 * assistant, user, result) collected, as the reference product prints them.
 */
export class JsonRenderer implements FrontEnd {
  private readonly denied: Array<Extract<AgentEvent, { type: 'permission_denied' }>> = [];
  private readonly messages: string[] = [];
  private readonly all: StreamJsonRenderer | undefined;
  private readonly clock = new RunClock();

  constructor(
    private readonly io: PrintStreams,
    private readonly verbose: boolean,
    version = '',
  ) {
    if (verbose) {
      const collect = new Writable({
        write: (chunk: Buffer, _encoding, done) => {
          for (const line of chunk.toString('utf8').split('\n')) if (line !== '') this.messages.push(line);
          done();
        },
      });
      this.all = new StreamJsonRenderer({ stdout: collect, stderr: io.stderr }, { includePartialMessages: false, version });
    }
  }

  emit(event: AgentEvent): void {
    if (this.all) {
      // Everything but the end goes to the collected messages (stderr lines pass straight through).
      if (event.type === 'permission_denied') this.denied.push(event);
      if (event.type !== 'done') return this.all.emit(event);
      this.all.emit(event);
      writeLine(this.io.stdout, `[${this.messages.join(',')}]`);
      for (const l of denialSummary(this.denied)) writeLine(this.io.stderr, l);
      return;
    }
    switch (event.type) {
      case 'session_start':
        this.clock.start();
        return;
      case 'requesting':
        this.clock.requesting();
        return;
      case 'stream_event':
        this.clock.streamEvent();
        return;
      case 'notice':
      case 'system_notice':
        writeLine(this.io.stderr, event.text);
        return;
      case 'retrying':
        // R1: every wait is visible, in every output mode (stdout stays the one result object).
        writeLine(this.io.stderr, retryLine(event.notice, this.verbose));
        return;
      case 'error':
        writeLine(this.io.stderr, `bcode: ${event.message}`);
        if (event.hint) writeLine(this.io.stderr, `  hint: ${event.hint}`);
        return;
      case 'permission_denied':
        this.denied.push(event);
        return;
      case 'done':
        writeLine(this.io.stdout, JSON.stringify(resultObject(event.result, randomUUID(), this.clock.fields())));
        for (const l of denialSummary(this.denied)) writeLine(this.io.stderr, l);
        return;
      default:
        return;
    }
  }
}
