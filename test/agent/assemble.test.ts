import { describe, expect, it } from 'vitest';
import { IncompleteStreamError, ModelStreamError, StreamAssembler } from '../../src/agent/assemble.js';
import { eventsFor } from './fakes.js';

function assemble(events: ReturnType<typeof eventsFor>) {
  const a = new StreamAssembler();
  for (const e of events) a.handle(e);
  return a.finish();
}

describe('StreamAssembler', () => {
  it('joins text deltas and tool input fragments', () => {
    const { message, inputErrors } = assemble(
      eventsFor([{ type: 'text', text: 'Let me look at the file first.' }, { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/x/a.js', limit: 20 } }], 'tool_use'),
    );
    expect(message.content).toEqual([
      { type: 'text', text: 'Let me look at the file first.' },
      { type: 'tool_use', id: 't1', name: 'Read', input: { file_path: '/x/a.js', limit: 20 } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(inputErrors.size).toBe(0);
    expect(message.usage).toEqual({ input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 50, cache_creation_input_tokens: 10 });
  });

  it('reports invalid tool JSON instead of throwing, with an object input kept for the API', () => {
    const { message, inputErrors } = assemble(eventsFor([{ type: 'tool_use', id: 't9', name: 'Bash', rawInput: '{"command": "ls' }], 'tool_use'));
    expect(message.content[0]).toMatchObject({ type: 'tool_use', id: 't9', input: {} });
    expect(inputErrors.get('t9')).toMatch(/not valid JSON.*received: \{"command": "ls/);
  });

  it('rejects JSON that is not an object', () => {
    const { inputErrors } = assemble(eventsFor([{ type: 'tool_use', id: 't2', name: 'Bash', rawInput: '[1,2]' }], 'tool_use'));
    expect(inputErrors.get('t2')).toMatch(/must be a JSON object, got an array/);
  });

  it('keeps thinking text, signature and redacted thinking verbatim', () => {
    const { message } = assemble(
      eventsFor([
        { type: 'thinking', thinking: 'The add function subtracts.', signature: 'sig/abc+123==' },
        { type: 'redacted_thinking', data: 'opaque-DATA==' },
        { type: 'text', text: 'done' },
      ]),
    );
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'The add function subtracts.', signature: 'sig/abc+123==' },
      { type: 'redacted_thinking', data: 'opaque-DATA==' },
      { type: 'text', text: 'done' },
    ]);
  });

  it('tool_use without deltas keeps the input from the start event', () => {
    const a = new StreamAssembler();
    const events = eventsFor([{ type: 'text', text: 'x' }]);
    a.handle(events[0]);
    a.handle({ type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'LS', input: {} } });
    a.handle({ type: 'content_block_stop', index: 0 });
    a.handle({ type: 'message_stop' });
    expect(a.finish().message.content).toEqual([{ type: 'tool_use', id: 't', name: 'LS', input: {} }]);
  });

  it('a stream without message_stop is incomplete; output is noticed', () => {
    const a = new StreamAssembler();
    const events = eventsFor([{ type: 'text', text: 'partial answer' }]);
    for (const e of events.slice(0, 3)) a.handle(e);
    expect(a.hasOutput).toBe(true);
    expect(() => a.finish()).toThrow(IncompleteStreamError);
  });

  it('an error event throws a typed error', () => {
    const a = new StreamAssembler();
    expect(() => a.handle({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })).toThrow(ModelStreamError);
  });
});
