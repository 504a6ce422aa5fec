/**
 * The question about a project's MCP server (src/extensions/mcp/project-approval.ts), asked on
 * the terminal before the UI and the session start, one key per server, like the folder-trust
 * question: the answer decides which servers the session starts.
 */
import type { McpApprovalAnswer, McpApprovalQuestion } from '../../extensions/mcp/project-approval.js';
import { oneKey } from './trust-prompt.js';

export async function askMcpApprovalOnTerminal(q: McpApprovalQuestion, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<McpApprovalAnswer> {
  const lines = [
    '',
    `New MCP server found in this project${q.count > 1 ? ` (${q.index} of ${q.count})` : ''}: ${q.name}`,
    `  from ${q.origin}`,
    ...(q.target ? [`  runs: ${q.target}`] : []),
    'MCP servers run programs or reach services on your behalf; use only servers you trust.',
    '  y  use this server',
    '  a  use this and every other MCP server of this project',
    '  n  do not use this server',
    'bcode saves the answer in .claude/settings.local.json.',
    '',
  ];
  output.write(`${lines.join('\n')}Use MCP server '${q.name}'? [y/a/n] `);
  const key = (await oneKey(input)).toLowerCase();
  const answer: McpApprovalAnswer = key === 'y' ? 'yes' : key === 'a' ? 'all' : key === 'n' ? 'no' : 'skip';
  output.write(`${answer === 'yes' ? 'yes' : answer === 'all' ? 'all' : answer === 'no' ? 'no' : 'not now (asked again next time)'}\n`);
  return answer;
}
