import type { AgentEvent, FrontEnd, RunResult } from '../agent/events.js';
import { denialSummary } from './denials.js';
import { apiErrorText, formatUsd, isApiError, writeLine, type PrintStreams } from './output.js';
import { redact } from '../util/redact.js';
import { retryLine } from './retry-line.js';

export interface TextRendererOptions {
  verbose: boolean;
  /** Model ids without a known price, for the --verbose note. */
  unpricedModels?: () => string[];
}

/**
 * `--output-format text`: only the final answer on stdout. With --verbose, progress (tool calls,
 * retries), then usage and cost go to stderr, so stdout stays pipeable.
 */
export class TextRenderer implements FrontEnd {
  private readonly denied: Array<Extract<AgentEvent, { type: 'permission_denied' }>> = [];
  /** A retry line is on the terminal without its newline (a TTY: the next one overwrites it). */
  private retryShown = false;

  constructor(
    private readonly io: PrintStreams,
    private readonly options: TextRendererOptions,
  ) {}

  emit(event: AgentEvent): void {
    const { verbose } = this.options;
    const tty = (this.io.stderr as { isTTY?: boolean }).isTTY === true;
    if (event.type === 'retrying') {
      // R1: each wait is one line on stderr; on a terminal it replaces the previous wait's line.
      const line = retryLine(event.notice, verbose);
      if (tty) {
        this.io.stderr.write(`\r\x1b[2K${redact(line)}`);
        this.retryShown = true;
      } else writeLine(this.io.stderr, line);
      return;
    }
    if (this.retryShown && event.type !== 'stream_event' && event.type !== 'text_delta' && event.type !== 'thinking_delta' && event.type !== 'usage') {
      // The wait is over: its line goes before anything else is written.
      this.io.stderr.write('\r\x1b[2K');
      this.retryShown = false;
    }
    const err = (s: string) => writeLine(this.io.stderr, s);
    switch (event.type) {
      case 'tool_started':
        if (verbose) err(`● ${event.description}`);
        return;
      case 'tool_finished':
        if (verbose) err(`  ⎿ ${event.isError ? 'error: ' : ''}${firstLines(event.display, 3)}`);
        return;
      case 'permission_denied':
        this.denied.push(event);
        if (verbose) err(`● ${event.name} denied: ${event.reason}`);
        return;
      case 'notice':
      case 'system_notice':
        err(event.text);
        return;
      case 'error':
        err(`bcode: ${event.message}`);
        if (event.hint) err(`  hint: ${event.hint}`);
        return;
      case 'assistant_message':
        if (verbose) {
          const text = event.message.content.map((b) => (b.type === 'text' ? b.text : '')).join('').trim();
          const hasTools = event.message.content.some((b) => b.type === 'tool_use');
          // The last answer goes to stdout; intermediate narration is progress.
          if (text && hasTools) err(text);
        }
        return;
      case 'done':
        this.finish(event.result);
        return;
      default:
        return;
    }
  }

  private finish(result: RunResult): void {
    const err = (s: string) => writeLine(this.io.stderr, s);
    if (result.subtype === 'success') {
      // --json-schema: the answer is the data, printed as JSON.
      if (result.structuredOutput !== undefined) writeLine(this.io.stdout, JSON.stringify(result.structuredOutput));
      else if (result.result.length > 0) writeLine(this.io.stdout, result.result);
    } else if (result.subtype === 'error_max_turns') {
      err(`bcode: stopped after the maximum number of turns (${result.numTurns})`);
      err('  hint: raise --max-turns or narrow the task');
    } else if (result.subtype === 'error_max_structured_output_retries') {
      err('bcode: the model did not give its answer in the --json-schema shape');
      err('  hint: simplify the schema or say in the prompt what each field must hold');
    } else if (result.subtype === 'error_max_budget_usd') {
      err(`bcode: stopped: the session cost $${result.totalCostUsd.toFixed(4)} reached --max-budget-usd`);
      err('  hint: raise --max-budget-usd or narrow the task');
    } else if (result.subtype === 'interrupted') {
      err('bcode: interrupted');
    } else if (isApiError(result)) {
      // The failed call is the answer too, on stdout, as the reference product prints it
      // (stderr already has bcode's one-line error and hint).
      writeLine(this.io.stdout, apiErrorText(result));
    }
    // The last lines: what was denied and what would allow it.
    const denials = denialSummary(this.denied);
    if (!this.options.verbose) {
      for (const l of denials) err(l);
      return;
    }
    const u = result.usage;
    err(
      `usage: ${u.input_tokens} input, ${u.output_tokens} output, ${u.cache_read_input_tokens ?? 0} cache read, ${u.cache_creation_input_tokens ?? 0} cache write tokens · cost ${formatUsd(result.totalCostUsd)} · ${result.numTurns} turn${result.numTurns === 1 ? '' : 's'} · ${(result.durationMs / 1000).toFixed(1)}s (API ${(result.durationApiMs / 1000).toFixed(1)}s)`,
    );
    const models = Object.entries(result.modelUsage);
    if (models.length > 1) {
      for (const [id, m] of models) err(`  ${id}: ${m.inputTokens} in, ${m.outputTokens} out, ${m.cacheReadInputTokens} cache read, ${m.cacheCreationInputTokens} cache write · ${formatUsd(m.costUSD)}`);
    }
    for (const id of this.options.unpricedModels?.() ?? []) err(`  note: no price known for ${id}; its cost is counted as $0`);
    for (const l of denials) err(l);
  }
}

function firstLines(text: string, n: number): string {
  const lines = text.split('\n');
  const head = lines.slice(0, n).join('\n    ');
  return lines.length > n ? `${head}\n    … ${lines.length - n} more line${lines.length - n === 1 ? '' : 's'}` : head;
}
