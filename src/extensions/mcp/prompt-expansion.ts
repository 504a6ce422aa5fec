/**
 * What MCP adds to a user's prompt before it is sent: `@server:uri` mentions attach the text of
 * that resource (read from the server), and a prompt that starts with `/mcp__server__prompt
 * [args…]` is replaced by the server's prompt, its arguments given in order. A mention or command
 * that names no configured server is left as written; one that fails is left too, with a notice.
 */
import type { McpHandle } from './index.js';

const MENTION = /(^|\s)@([A-Za-z0-9_-]+):(\S+)/g;
const COMMAND = /^\/mcp__([A-Za-z0-9_-]+?)__(\S+)(?:\s+([\s\S]*))?$/;

export async function expandMcpPrompt(text: string, handle: McpHandle, notice: (text: string) => void, signal?: AbortSignal): Promise<string> {
  const configured = new Set(handle.servers().map((s) => s.name));
  let manager: Awaited<ReturnType<McpHandle['manager']>>;
  try {
    manager = await handle.manager();
  } catch {
    return text; // already reported when the servers were started
  }
  const connectionOf = async (server: string) => {
    await manager.ready([`mcp__${server}__`]);
    const c = manager.connection(server);
    if (!c || c.status !== 'connected') throw new Error(`MCP server '${server}' is not connected${c?.error ? `: ${c.error}` : ''}`);
    return c;
  };

  let prompt = text;
  const command = COMMAND.exec(text.trim());
  if (command && configured.has(command[1]!)) {
    const [, server, name, rest] = command;
    try {
      const c = await connectionOf(server!);
      const declared = (await c.listPrompts(signal)).find((p) => p.name === name);
      if (!declared) throw new Error(`MCP server '${server}' has no prompt named '${name}'`);
      const words = (rest ?? '').trim() === '' ? [] : rest!.trim().split(/\s+/);
      const params = declared.arguments ?? [];
      const args: Record<string, string> = {};
      // Positional: the last declared argument takes the rest of the line.
      params.forEach((p, i) => {
        const value = i === params.length - 1 ? words.slice(i).join(' ') : words[i];
        if (value) args[p.name] = value;
      });
      const missing = params.filter((p) => p.required && !(p.name in args)).map((p) => p.name);
      if (missing.length > 0) throw new Error(`the prompt ${name} of '${server}' needs ${missing.join(', ')}`);
      const messages = await c.getPrompt(name!, args, signal);
      prompt = messages.map((m) => (m.content.type === 'text' ? String(m.content.text) : m.content.type === 'resource' ? String((m.content.resource as { text?: unknown } | undefined)?.text ?? '') : '')).filter(Boolean).join('\n\n');
    } catch (err) {
      notice(`bcode: /mcp__${server}__${name}: ${err instanceof Error ? err.message : String(err)}\n  hint: bcode mcp get ${server} shows the server's state`);
    }
  }

  const attached: string[] = [];
  for (const m of prompt.matchAll(MENTION)) {
    const [, , server, uri] = m;
    if (!configured.has(server!)) continue;
    try {
      const contents = await (await connectionOf(server!)).readResource(uri!, signal);
      const text = contents.map((c) => (typeof c.text === 'string' ? c.text : `[binary content of ${String(c.uri ?? uri)} not shown]`)).join('\n');
      attached.push(`<resource server="${server}" uri="${uri}">\n${text}\n</resource>`);
    } catch (err) {
      notice(`bcode: @${server}:${uri} could not be read: ${err instanceof Error ? err.message : String(err)}\n  hint: check the URI (bcode mcp get ${server} shows the server's state)`);
    }
  }
  return attached.length > 0 ? `${prompt}\n\n${attached.join('\n\n')}` : prompt;
}
