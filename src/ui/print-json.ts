import { randomUUID } from 'node:crypto';
import type { AgentEvent, FrontEnd } from '../agent/events.js';
import { denialSummary } from './denials.js';
import { resultObject, writeLine, type PrintStreams } from './output.js';
import { retryLine } from './retry-line.js';

/** `--output-format json`: one result object on stdout at the end; notices and errors on stderr. */
export class JsonRenderer implements FrontEnd {
  private readonly denied: Array<Extract<AgentEvent, { type: 'permission_denied' }>> = [];

  constructor(
    private readonly io: PrintStreams,
    private readonly verbose: boolean,
  ) {}

  emit(event: AgentEvent): void {
    switch (event.type) {
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
        writeLine(this.io.stdout, JSON.stringify(resultObject(event.result, randomUUID())));
        for (const l of denialSummary(this.denied)) writeLine(this.io.stderr, l);
        return;
      default:
        return;
    }
  }
}
