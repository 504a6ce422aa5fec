/**
 * The question about a project's MCP server (src/extensions/mcp/project-approval.ts): a dialog in
 * the already-drawn UI, like the folder-trust question, asked while the session is being made,
 * once per server not yet approved or refused. The answer decides which servers the session starts.
 */
import type { McpApprovalAnswer, McpApprovalQuestion } from '../../extensions/mcp/project-approval.js';
import type { Picker } from './picker.js';
import type { TuiStore } from './store.js';

export function mcpApprovalLines(q: McpApprovalQuestion): string[] {
  return [
    `New MCP server found in this project${q.count > 1 ? ` (${q.index} of ${q.count})` : ''}: ${q.name}`,
    `  from ${q.origin}`,
    ...(q.target ? [`  runs: ${q.target}`] : []),
    'MCP servers run programs or reach services on your behalf; use only servers you trust.',
    'bcode saves the answer in .claude/settings.local.json.',
  ];
}

const ANSWERS: readonly McpApprovalAnswer[] = ['yes', 'all', 'no'];

export function mcpApprovalPicker(q: McpApprovalQuestion, answer: (a: McpApprovalAnswer) => void): Picker {
  return {
    title: `Use MCP server '${q.name}'? [y/a/n]`,
    items: [
      { label: 'Yes, use this server', detail: 'saved to enabledMcpjsonServers' },
      { label: 'All: this and every other MCP server of this project', detail: 'saved as enableAllProjectMcpServers' },
      { label: 'No, do not use it', detail: 'saved to disabledMcpjsonServers' },
    ],
    selected: 2,
    footer: 'y yes · a all · n no · Esc not now (asked again next time)',
    letters: { y: 0, Y: 0, a: 1, A: 1, n: 2, N: 2 },
    choose: (i) => answer(ANSWERS[i] ?? 'skip'),
    cancel: () => answer('skip'),
  };
}

/** Asks in the UI; resolves once answered (Esc: not now, nothing saved). */
export function askMcpApprovalInUi(store: TuiStore, q: McpApprovalQuestion): Promise<McpApprovalAnswer> {
  return new Promise((resolve) => {
    store.info(mcpApprovalLines(q).join('\n'), 'yellow');
    store.setPicker(
      mcpApprovalPicker(q, (a) => {
        store.setPicker(undefined);
        store.info(`MCP server '${q.name}': ${a === 'skip' ? 'not now (asked again next time)' : a}`);
        resolve(a);
      }),
    );
  });
}
