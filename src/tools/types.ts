import type { ReadResults } from './read-state.js';
import type { z } from 'zod';
import type { ImageBlock, TextBlock } from '../bedrock/anthropic.js';
import type { SandboxGrant } from '../permissions/types.js';
import type { PreparedRun } from '../sandbox/runner.js';

/** How Bash commands are sandboxed (src/sandbox); absent where nothing is (unit tests). */
export interface CommandSandbox {
  prepare(command: string, grant: SandboxGrant, cwd: string, env: Record<string, string>, notice?: (text: string) => void): Promise<PreparedRun>;
}

/** What a tool gives back: one thing for the model, another for the person watching. */
export interface ToolResult {
  forModel: string | Array<TextBlock | ImageBlock>;
  forDisplay: string;
  isError?: boolean;
  /**
   * The answer as data, per tool (Read's file, Bash's stdout/stderr, Edit's patch …): what
   * programs get as stream-json `tool_use_result` and PostToolUse hooks as `tool_response`.
   * Never sent to the model, which reads `forModel`.
   */
  data?: unknown;
}

export interface TodoItem {
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
  activeForm: string;
}

/** Everything a tool may touch, handed in by the agent; tools never read process globals. */
export interface ToolContext {
  /** The session's working directory (Bash keeps its own current directory in `shell`). */
  cwd: string;
  signal: AbortSignal;
  /** Environment for child processes, already scrubbed of bcode's secrets (R3). */
  childEnv: Record<string, string>;
  /** Absolute paths read in this session, with the mtime seen (Write refuses unread files). */
  readFiles: Map<string, number>;
  /** Full Read pages this conversation still holds (src/tools/read-state.ts); absent = never the "unchanged" note. */
  readResults?: ReadResults;
  /** Where tools may keep large outputs (full Bash output) for the model to Read. */
  scratchDir: string;
  /** Persistent shell state for Bash: its current directory. */
  shell: { cwd: string };
  /** Asks the small/fast model a one-shot question (WebFetch summaries). */
  askSmallModel?: (prompt: string, signal: AbortSignal) => Promise<string>;
  /** Runs a sub-agent and returns its final answer (Task). */
  runSubAgent?: (input: { description: string; prompt: string; subagent_type?: string }, signal: AbortSignal) => Promise<string>;
  /** Lets TodoWrite show the list. */
  onTodos?: (todos: TodoItem[]) => void;
  /** One line for the user (e.g. "the sandbox is off"). */
  notice?: (text: string) => void;
  /** The session's command sandbox. */
  sandbox?: CommandSandbox;
  /** Set per call by the agent from the permission decision: where this Bash command may write. */
  sandboxGrant?: SandboxGrant;
  /**
   * Checkpoints (A14): called before a call that may change files runs; snapshots what they hold
   * and returns what to call once the call is done. Absent where nothing is snapshotted.
   */
  checkpoint?: (toolName: string, input: unknown, shellCwd: string) => Promise<(() => Promise<void>) | undefined>;
  /** Whether a Read deny rule covers this absolute path (search tools drop such files from results). */
  readDenied?: (absolutePath: string) => boolean;
}

export interface Tool<I = unknown> {
  name: string;
  /** Our own words, short: every token here is paid on each uncached request. */
  description: string;
  inputSchema: z.ZodType<I>;
  /** Read-only calls of one assistant message may run in parallel. */
  isReadOnly(input: I): boolean;
  /**
   * Calls of this tool in one assistant message may run side by side even though they are not
   * read-only: the tool bounds its own concurrency (Task, through the session's sub-agent limiter).
   */
  concurrent?: boolean;
  run(input: I, ctx: ToolContext): Promise<ToolResult>;
}

/** A tool whose input type is erased, as kept in the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the registry holds tools of differing input types; each validates its own input with zod before run()
export type AnyTool = Tool<any>;
