/**
 * `bcode mcp list|get|add|add-json|remove|login|logout`, with the reference product's arguments. Only the
 * command's shape lives here (it is part of `--help`); the work is in mcp-actions.ts, loaded
 * when one of these runs.
 */
import { Command, Option } from 'commander';

export interface McpCommandOptions {
  scope?: 'local' | 'project' | 'user';
  transport?: 'stdio' | 'http' | 'sse';
  env?: string[];
  header?: string[];
  cwd?: string;
  settings?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

const scopeOption = () => new Option('-s, --scope <scope>', 'where the server is kept: local (you, this project; default), project (.mcp.json, shared), user (you, every project)').choices(['local', 'project', 'user']);

export function addMcpCommand(program: Command, done: (code: number) => void): void {
  const actions = () => import('./mcp-actions.js');
  const mcp = program.command('mcp').description('configure and check MCP servers (the same files as the reference product)');

  mcp
    .command('list')
    .description('list the configured MCP servers and whether each one connects')
    .action(async (_o: unknown, cmd: Command) => done(await (await actions()).mcpList(cmd.optsWithGlobals())));

  mcp
    .command('get <name>')
    .description('show one MCP server: scope, state, transport, command or URL')
    .action(async (name: string, _o: unknown, cmd: Command) => done(await (await actions()).mcpGet(name, cmd.optsWithGlobals())));

  mcp
    .command('add <name> <commandOrUrl> [args...]')
    .description('add a server: bcode mcp add [options] <name> -- <command> [args...], or --transport http <name> <url>')
    .addOption(scopeOption())
    .addOption(new Option('-t, --transport <transport>', 'stdio (a command, default), http or sse (a URL)').choices(['stdio', 'http', 'sse']))
    // Repeatable, one value each: a list option would swallow the server's name that follows it.
    .option('-e, --env <env>', 'an environment variable of a stdio server, KEY=value (repeatable)', collect, [])
    .option('-H, --header <header>', 'an HTTP header of a remote server, "Name: value" (repeatable)', collect, [])
    // bcode's options come before the name; after `--` everything is the server's command line.
    .action(async (name: string, target: string, args: string[], _o: unknown, cmd: Command) => done(await (await actions()).mcpAdd(name, target, args, cmd.optsWithGlobals())));

  mcp
    .command('add-json <name> <json>')
    .description('add a server from its JSON entry, e.g. \'{"type":"http","url":"https://example.com/mcp"}\'')
    .addOption(scopeOption())
    .action(async (name: string, json: string, _o: unknown, cmd: Command) => done(await (await actions()).mcpAddJson(name, json, cmd.optsWithGlobals())));

  mcp
    .command('login <name>')
    .description('sign in to a remote (http or sse) MCP server with OAuth; the token is stored for later sessions')
    .option('--no-browser', 'only print the sign-in address (then paste the address the browser ends on)')
    .action(async (name: string, _o: unknown, cmd: Command) => done(await (await actions()).mcpLoginAction(name, cmd.optsWithGlobals())));

  mcp
    .command('logout <name>')
    .description("forget a remote MCP server's stored OAuth credentials")
    .action(async (name: string, _o: unknown, cmd: Command) => done(await (await actions()).mcpLogoutAction(name, cmd.optsWithGlobals())));

  mcp
    .command('remove <name>')
    .description('remove a server (from the scope given, else from the one scope that has it)')
    .addOption(scopeOption())
    .action(async (name: string, _o: unknown, cmd: Command) => done(await (await actions()).mcpRemove(name, cmd.optsWithGlobals())));
}
