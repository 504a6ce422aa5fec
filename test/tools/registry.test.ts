import { describe, expect, it } from 'vitest';
import { builtinTools, getTool, toolSpecs, validateToolInput } from '../../src/tools/registry.js';
import { taskTool } from '../../src/tools/task.js';
import { todoWriteTool } from '../../src/tools/todo-write.js';
import type { TodoItem } from '../../src/tools/types.js';
import { call, makeCtx, tempDir, text } from './helpers.js';

/** Tools array budget (JSON chars). The system prompt shares the ~25k cached prefix. */
const TOOLS_BUDGET_CHARS = 9_000;

describe('registry', () => {
  it('has the tools the models know, in a fixed order', () => {
    expect(builtinTools().map((t) => t.name)).toEqual([
      'Task', 'Bash', 'BashOutput', 'KillShell', 'Glob', 'Grep', 'LS', 'Read', 'Edit', 'MultiEdit', 'Write', 'WebFetch', 'TodoWrite',
    ]);
    expect(getTool('Read')?.name).toBe('Read');
    expect(getTool('Nope')).toBeUndefined();
  });

  it('produces byte-identical, closed, compact schemas', () => {
    const a = JSON.stringify(toolSpecs(builtinTools()));
    const b = JSON.stringify(toolSpecs(builtinTools()));
    expect(a).toBe(b);
    expect(a).not.toContain('$schema');
    expect(a).not.toContain(String(Number.MAX_SAFE_INTEGER));
    for (const spec of toolSpecs(builtinTools())) {
      expect(spec.input_schema.type).toBe('object');
      expect(spec.input_schema.additionalProperties).toBe(false);
    }
    // Adding cache_control to one request's copy must not leak into the next request.
    const first = toolSpecs(builtinTools());
    first[first.length - 1].cache_control = { type: 'ephemeral' };
    expect(JSON.stringify(toolSpecs(builtinTools()))).toBe(a);
  });

  it('stays inside its size budget', () => {
    const size = JSON.stringify(toolSpecs(builtinTools())).length;
    expect(size).toBeLessThan(TOOLS_BUDGET_CHARS);
  });

  it('matches the committed snapshot (a change here changes every cached prefix)', () => {
    expect(JSON.stringify(toolSpecs(builtinTools()), null, 1)).toMatchSnapshot();
  });

  it('keeps the trained field names', () => {
    const fields = Object.fromEntries(toolSpecs(builtinTools()).map((s) => [s.name, Object.keys(s.input_schema.properties as object)]));
    expect(fields).toEqual({
      Task: ['description', 'prompt', 'subagent_type'],
      Bash: ['command', 'timeout', 'description', 'run_in_background'],
      BashOutput: ['bash_id', 'filter'],
      KillShell: ['shell_id'],
      Glob: ['pattern', 'path'],
      Grep: ['pattern', 'path', 'glob', 'type', 'output_mode', '-i', '-n', '-A', '-B', '-C', 'head_limit', 'multiline'],
      LS: ['path', 'ignore'],
      Read: ['file_path', 'offset', 'limit'],
      Edit: ['file_path', 'old_string', 'new_string', 'replace_all'],
      MultiEdit: ['file_path', 'edits'],
      Write: ['file_path', 'content'],
      WebFetch: ['url', 'prompt'],
      TodoWrite: ['todos'],
    });
  });

  it('marks read-only tools', () => {
    const ro = builtinTools().filter((t) => t.isReadOnly({})).map((t) => t.name);
    expect(ro).toEqual(['BashOutput', 'Glob', 'Grep', 'LS', 'Read', 'WebFetch', 'TodoWrite']);
  });
});

describe('validateToolInput (R5)', () => {
  const read = getTool('Read')!;
  it('accepts good input and returns the parsed value', () => {
    expect(validateToolInput(read, { file_path: '/a', limit: 5 })).toEqual({ ok: true, value: { file_path: '/a', limit: 5 } });
  });

  it('names each bad field in one line', () => {
    const cases: Array<[string, unknown, string]> = [
      ['Read', {}, 'Invalid input for Read: file_path is required'],
      ['Read', null, 'Invalid input for Read: file_path is required'],
      ['Read', { file_path: '/a', offset: '3' }, 'Invalid input for Read: offset must be a number, got a string "3"'],
      ['Bash', { command: 'ls', timeout: 1.5 }, 'Invalid input for Bash: timeout must be an integer, got number 1.5'],
      ['Grep', { pattern: 'x', output_mode: 'lines' }, 'Invalid input for Grep: output_mode must be one of "content", "files_with_matches", "count", got a string "lines"'],
      ['MultiEdit', { file_path: '/a', edits: [] }, 'Invalid input for MultiEdit: edits needs at least 1 item(s)'],
      ['MultiEdit', { file_path: '/a', edits: [{ old_string: 1, new_string: 'x' }] }, 'Invalid input for MultiEdit: edits[0].old_string must be a string, got number 1'],
      ['Edit', { file_path: '', old_string: 'a', new_string: 'b' }, 'Invalid input for Edit: file_path must not be empty'],
    ];
    for (const [name, input, message] of cases) {
      const v = validateToolInput(getTool(name)!, input);
      expect(v).toEqual({ ok: false, message });
      if (!v.ok) expect(v.message).not.toContain('\n');
    }
  });
});

describe('TodoWrite', () => {
  const todo = (content: string, status: TodoItem['status']): TodoItem => ({ content, status, activeForm: `${content}ing` });

  it('hands the list to the front end and answers briefly', async () => {
    const seen: TodoItem[][] = [];
    const ctx = makeCtx(tempDir(), { onTodos: (t) => seen.push(t) });
    const list = [todo('Read', 'completed'), todo('Fix', 'in_progress'), todo('Test', 'pending')];
    const r = await call(todoWriteTool, { todos: list }, ctx);
    expect(text(r)).toBe('Todo list updated (1/3 done).');
    expect(seen).toEqual([list]);
  });

  it('validates statuses and fields, and nudges toward one item in progress', async () => {
    const ctx = makeCtx(tempDir());
    expect(validateToolInput(todoWriteTool, { todos: [{ content: 'a', status: 'done', activeForm: 'x' }] }).ok).toBe(false);
    expect(validateToolInput(todoWriteTool, { todos: [{ content: 'a', status: 'pending' }] })).toEqual({
      ok: false,
      message: 'Invalid input for TodoWrite: todos[0].activeForm is required',
    });
    const two = await call(todoWriteTool, { todos: [todo('a', 'in_progress'), todo('b', 'in_progress')] }, ctx);
    expect(two.isError).toBeUndefined();
    expect(text(two)).toBe('Todo list updated (0/2 done). Note: 2 items are in_progress; work on one at a time.');
  });
});

describe('Task', () => {
  it('runs a sub-agent and returns its answer', async () => {
    const calls: unknown[] = [];
    const ctx = makeCtx(tempDir(), {
      runSubAgent: async (input) => {
        calls.push(input);
        return 'Found 3 call sites.';
      },
    });
    const r = await call(taskTool, { description: 'find callers', prompt: 'Find callers of foo()' }, ctx);
    expect(text(r)).toBe('Found 3 call sites.');
    expect(calls).toEqual([{ description: 'find callers', prompt: 'Find callers of foo()', subagent_type: 'general-purpose' }]);
  });

  it('fails clearly without a sub-agent runner, or when the sub-agent fails', async () => {
    const none = await call(taskTool, { description: 'd', prompt: 'p' }, makeCtx(tempDir()));
    expect(none.isError).toBe(true);
    expect(text(none)).toContain('not available');
    const broken = makeCtx(tempDir(), { runSubAgent: async () => Promise.reject(new Error('throttled\nstack')) });
    const r = await call(taskTool, { description: 'd', prompt: 'p' }, broken);
    expect(text(r)).toBe('The sub-agent failed: throttled');
  });
});
