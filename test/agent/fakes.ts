import { z } from 'zod';
import type { ContentBlock, Message, MessagesRequest, StreamEvent } from '../../src/bedrock/anthropic.js';
import type { CallOptions, Provider } from '../../src/bedrock/types.js';
import type { AgentEvent, FrontEnd } from '../../src/agent/events.js';
import type { AnyTool } from '../../src/tools/types.js';
import type { PermissionPolicy } from '../../src/permissions/types.js';
import { UsageTracker } from '../../src/agent/usage.js';
import type { AgentRuntime } from '../../src/agent/loop.js';

export type ReplyBlock = ContentBlock | { type: 'tool_use'; id: string; name: string; input?: unknown; rawInput?: string };

/** Turns a scripted reply into the stream events a model would send, in small fragments. */
export function eventsFor(content: ReplyBlock[], stop: Message['stop_reason'] = 'end_turn'): StreamEvent[] {
  const ev: StreamEvent[] = [];
  ev.push({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 100, output_tokens: 1, cache_read_input_tokens: 50, cache_creation_input_tokens: 10 } } });
  content.forEach((b, index) => {
    if (b.type === 'text') {
      ev.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      for (const part of chunks(b.text)) ev.push({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: part } });
    } else if (b.type === 'tool_use') {
      ev.push({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      const raw = 'rawInput' in b && b.rawInput !== undefined ? b.rawInput : JSON.stringify(b.input ?? {});
      for (const part of chunks(raw)) ev.push({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: part } });
    } else if (b.type === 'thinking') {
      ev.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
      for (const part of chunks(b.thinking)) ev.push({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: part } });
      ev.push({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: b.signature } });
    } else {
      ev.push({ type: 'content_block_start', index, content_block: b });
    }
    ev.push({ type: 'content_block_stop', index });
  });
  ev.push({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: 20 } });
  ev.push({ type: 'message_stop' });
  return ev;
}

function chunks(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += 5) out.push(s.slice(i, i + 5));
  return out.length ? out : [''];
}

export interface FakeTurn {
  events?: StreamEvent[];
  /** Throw this after yielding `events`. */
  throwAfter?: Error;
  /** Wait for abort before ending (to test interrupts). */
  hang?: boolean;
}

export class FakeProvider implements Provider {
  readonly requests: MessagesRequest[] = [];
  readonly invokes: MessagesRequest[] = [];
  constructor(private readonly turns: FakeTurn[]) {}

  async *stream(request: MessagesRequest, options: CallOptions): AsyncIterable<StreamEvent> {
    this.requests.push(structuredClone(request));
    const turn = this.turns.shift();
    if (!turn) throw new Error('fake provider: no more turns');
    for (const e of turn.events ?? []) yield e;
    if (turn.hang) {
      await new Promise<void>((resolve) => options.signal?.addEventListener('abort', () => resolve(), { once: true }));
      const e = new Error('aborted');
      e.name = 'AbortError';
      throw e;
    }
    if (turn.throwAfter) throw turn.throwAfter;
  }

  async invoke(request: MessagesRequest): Promise<Message> {
    this.invokes.push(request);
    return { id: 'm2', type: 'message', role: 'assistant', model: 'small', content: [{ type: 'text', text: 'summary' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 10, output_tokens: 5 } };
  }
}

export class RecordingFrontEnd implements FrontEnd {
  readonly events: AgentEvent[] = [];
  emit(e: AgentEvent): void {
    this.events.push(e);
  }
  of<T extends AgentEvent['type']>(type: T): Extract<AgentEvent, { type: T }>[] {
    return this.events.filter((e) => e.type === type) as Extract<AgentEvent, { type: T }>[];
  }
}

export function fakeTool(name: string, opts: { readOnly?: boolean; run?: (input: { value?: string }, signal: AbortSignal) => Promise<string>; log?: string[] } = {}): AnyTool {
  return {
    name,
    description: `fake ${name}`,
    inputSchema: z.object({ value: z.string().optional() }).strict(),
    isReadOnly: () => opts.readOnly ?? false,
    async run(input: { value?: string }, ctx) {
      opts.log?.push(`start ${name} ${input.value ?? ''}`);
      const out = opts.run ? await opts.run(input, ctx.signal) : `${name} ok ${input.value ?? ''}`;
      opts.log?.push(`end ${name} ${input.value ?? ''}`);
      return { forModel: out, forDisplay: out };
    },
  };
}

export function policy(decide: PermissionPolicy['decide']): PermissionPolicy {
  const p = { mode: 'default' as const, decide, rememberAllow: async () => {}, decisions: [] };
  return p;
}

export const allowAll = policy(async () => ({ behavior: 'allow', reason: 'test' }));

export function runtime(provider: Provider, tools: AnyTool[], extra: Partial<AgentRuntime> = {}): AgentRuntime {
  return {
    provider,
    tools,
    toolSpecs: tools.map((t) => ({ name: t.name, description: t.description, input_schema: { type: 'object' } })),
    policy: allowAll,
    system: [{ type: 'text', text: 'system' }],
    modelId: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
    smallModelId: 'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    maxOutputTokens: 1000,
    promptCaching: true,
    toolContext: { cwd: '/tmp', childEnv: {}, readFiles: new Map(), scratchDir: '/tmp', shell: { cwd: '/tmp' } },
    usage: new UsageTracker(),
    ...extra,
  };
}
