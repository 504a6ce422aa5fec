/**
 * Slash commands. Each one is a name, a line of help, and what it does to the UI through the
 * small `CommandHost` interface the controller implements (so commands know no React).
 */
import type { Config } from '../../config/types.js';
import type { ConfiguredHook } from '../../extensions/hooks/types.js';
import type { Extensions } from '../../extensions/index.js';
import { agentsText, customCommandsHelp, skillsText } from './extension-commands.js';
import { formatUsd } from '../output.js';
import { cacheShare, type UsageSource } from './store.js';

export interface CommandHost {
  readonly config: Config;
  readonly version: string;
  readonly usage: UsageSource & { byModel: Record<string, { inputTokens: number; outputTokens: number; cacheReadInputTokens: number; cacheCreationInputTokens: number; costUSD: number }>; serviceTier?: string };
  readonly modelId: string;
  readonly permissionMode: string;
  readonly busy: boolean;
  /** The MCP servers and their state. */
  mcpServers(): Array<{ name: string; status: string; error?: string; tools: string[] }>;
  /** Signs in to a remote MCP server (OAuth) and starts it again; its state after. */
  mcpAuthenticate(name: string, print: (line: string) => void): Promise<{ status: string; error?: string } | undefined>;
  /** The hooks the session runs (fixed at its start). */
  readonly hooks: readonly ConfiguredHook[];
  /** Skills, custom sub-agents and custom commands of the session. */
  readonly extensions: Extensions;
  print(text: string, color?: 'dim' | 'yellow' | 'red' | 'plain'): void;
  setModel(id: string): void;
  clear(): Promise<void>;
  /** Resolves false when there was nothing to compact. */
  compact(focus: string): Promise<boolean>;
  /** The `/context` lines (computed in the session). */
  context(): Promise<string[]>;
  /** The /rewind picker (the user turns, then code / conversation / both). */
  openRewind(): void;
  /** The /resume picker (this folder's sessions). */
  openResume(): void;
  /** The /model picker (aliases, configured ids, the region's inference profiles). */
  openModelPicker(): void;
  quit(): void;
  /** Sends a prompt to the model as if typed (/init). */
  submit(prompt: string): void;
  /** `/permissions allow|ask|deny <rule>`: in force now, saved to the local settings; the line to show. */
  addRule(list: 'allow' | 'ask' | 'deny', rule: string): Promise<string>;
  /** `/permissions remove <rule>`: out of the session and of its settings file(s); the line to show. */
  removeRule(rule: string): Promise<string>;
  /** The permission rules in force (/permissions). */
  listRules(): { allow: string[]; ask: string[]; deny: string[]; additionalDirectories: string[] } | undefined;
}

export interface SlashCommand {
  name: string;
  args?: string;
  help: string;
  /** May run while a turn is running (it does not touch the conversation). */
  whileBusy?: boolean;
  run(host: CommandHost, args: string): void | Promise<void>;
}

/** `/mcp auth <server>`: the sign-in address is shown (and a browser opened where possible). */
async function authenticate(host: CommandHost, name: string): Promise<void> {
  host.print(`Signing in to MCP server '${name}' …`);
  try {
    const state = await host.mcpAuthenticate(name, (line) => host.print(line, 'plain'));
    if (state?.status === 'connected') host.print(`Signed in to '${name}': connected, its tools are available now.`);
    else host.print(`Signed in to '${name}', but it did not connect: ${state?.error ?? state?.status ?? 'unknown state'}`, 'yellow');
  } catch (err) {
    const e = err as { message?: string; hint?: string };
    host.print(`bcode: ${e.message ?? String(err)}${e.hint ? `\n  hint: ${e.hint}` : ''}`, 'red');
  }
}

export const KEYS_HELP = [
  'Enter send (queued while a turn runs) · \\ then Enter new line · ↑/↓ history · Ctrl-R search history · Esc interrupt the running turn',
  'Tab complete /commands and @files · @path attaches a file · !command runs a shell command · #text adds a line to CLAUDE.md',
  'Shift-Tab cycle permission mode · Ctrl-C clear input (twice: quit) · Ctrl-D on empty input: quit',
  'Esc Esc on an empty prompt: rewind to before one of your messages',
];

export const COMMANDS: SlashCommand[] = [
  {
    name: 'help',
    help: 'show commands and keys',
    whileBusy: true,
    run(host) {
      const width = Math.max(...COMMANDS.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''}`.length));
      host.print(
        [...COMMANDS.map((c) => `/${c.name}${c.args ? ` ${c.args}` : ''}`.padEnd(width + 2) + c.help), ...customCommandsHelp(host.extensions), '', ...KEYS_HELP].join('\n'),
        'plain',
      );
    },
  },
  {
    name: 'hooks',
    help: 'list the hooks this session runs (settings changes apply to the next session)',
    whileBusy: true,
    run(host) {
      if (host.hooks.length === 0) {
        host.print('No hooks run in this session. Hooks come from the settings key "hooks" (see docs/hooks.md).');
        return;
      }
      const lines = host.hooks.map((h) => `${h.event}${h.matcher ? ` [${h.matcher}]` : ''}  ${h.command ?? '(callback)'}  ${h.timeout} s  · ${h.scope}: ${h.origin}`);
      host.print([...lines, '', 'Changes to hooks in settings files take effect in the next session.'].join('\n'), 'plain');
    },
  },
  {
    name: 'mcp',
    args: '[auth <server>]',
    help: 'the MCP servers of this session: state, tools, why one failed; `auth <server>` signs in to one that needs authentication',
    whileBusy: true,
    async run(host, args) {
      const auth = /^auth(?:enticate)?\s+(\S+)\s*$/.exec(args.trim());
      if (auth) {
        await authenticate(host, auth[1]!);
        return;
      }
      if (args.trim()) {
        host.print('Usage: /mcp (list the servers), or /mcp auth <server> (sign in to one that needs authentication).', 'yellow');
        return;
      }
      const servers = host.mcpServers();
      if (servers.length === 0) {
        host.print('No MCP servers in this session. Add one with `bcode mcp add` or a .mcp.json (see the README, "MCP").');
        return;
      }
      const lines = servers.flatMap((s) => [
        `${s.name}: ${s.status === 'needs-auth' ? 'needs authentication' : s.status}${s.tools.length ? ` · ${s.tools.length} tool${s.tools.length === 1 ? '' : 's'}` : ''}${s.error && s.status !== 'needs-auth' ? ` · ${s.error}` : ''}`,
        ...(s.status === 'needs-auth' ? [`  sign in: /mcp auth ${s.name}`] : []),
        ...(s.tools.length ? [`  ${s.tools.map((t) => `mcp__${s.name}__${t}`).join(', ')}`] : []),
      ]);
      host.print(lines.join('\n'), 'plain');
    },
  },
  {
    name: 'clear',
    help: 'start a fresh conversation (model and permission mode stay)',
    async run(host) {
      await host.clear();
      host.print('Started a new conversation.');
    },
  },
  {
    name: 'compact',
    args: '[focus]',
    help: 'summarise the conversation to free context; the focus text says what the summary must keep',
    async run(host, args) {
      host.print('Compacting the conversation …');
      if (!(await host.compact(args.trim()))) host.print('Nothing to compact yet.');
    },
  },
  {
    name: 'rewind',
    help: 'go back to before one of your messages: restore the code, the conversation, or both (also: Esc Esc)',
    run(host) {
      host.openRewind();
    },
  },
  {
    name: 'resume',
    help: 'switch to an earlier session of this folder (title, age, turns, cost)',
    run(host) {
      host.openResume();
    },
  },
  {
    name: 'model',
    args: '[name]',
    help: 'switch the model: sonnet, opus, haiku, a model id, inference profile or ARN; without a name, a picker with the region\'s inference profiles',
    whileBusy: true,
    run(host, args) {
      const aliases = host.config.models.aliases;
      const name = args.trim();
      if (name === '') return host.openModelPicker();
      if (/\s/.test(name)) {
        host.print(`not a model name: '${name}' (one word: an alias, model id, inference profile id or ARN)`, 'red');
        return;
      }
      const id = (aliases as Record<string, string>)[name.toLowerCase()] ?? name;
      host.setModel(id);
      host.print(`Model set to ${id}${id !== name ? ` (${name})` : ''}; the next request uses it.`);
    },
  },
  {
    name: 'context',
    help: 'how the context window is used: system prompt, tools, memory files, messages, free space',
    whileBusy: true,
    async run(host) {
      host.print((await host.context()).join('\n'), 'plain');
    },
  },
  {
    name: 'cost',
    help: 'tokens and dollars of this session',
    whileBusy: true,
    run(host) {
      const t = host.usage.total;
      const share = cacheShare(t);
      const lines = [
        `cost: ${formatUsd(host.usage.totalCostUsd)}`,
        `tokens: ${t.input_tokens} in, ${t.output_tokens} out, ${t.cache_read_input_tokens} cache read, ${t.cache_creation_input_tokens} cache write${share === undefined ? '' : ` (cache read share ${(share * 100).toFixed(1)}%)`}`,
      ];
      const models = Object.entries(host.usage.byModel);
      if (models.length > 1) {
        for (const [id, m] of models) lines.push(`  ${id}: ${m.inputTokens} in, ${m.outputTokens} out, ${m.cacheReadInputTokens} cache read, ${m.cacheCreationInputTokens} cache write · ${formatUsd(m.costUSD)}`);
      }
      // B29: the tier Bedrock says it served the latest request on (X-Amzn-Bedrock-Service-Tier).
      if (host.usage.serviceTier) lines.push(`service tier: ${host.usage.serviceTier} (as Bedrock reported it)`);
      host.print(lines.join('\n'), 'plain');
    },
  },
  {
    name: 'status',
    help: 'version, region, credentials, endpoint, models, permission mode, settings files',
    whileBusy: true,
    run(host) {
      const c = host.config;
      const files = c.settingsFiles ?? [];
      host.print(
        [
          `bcode ${host.version}`,
          `region: ${c.region}`,
          `credentials: ${credentialMode(c)}`,
          `endpoint: ${c.models.main.endpoint}${c.customEndpoint ? ' (ANTHROPIC_BEDROCK_BASE_URL)' : ''}`,
          `model: ${host.modelId}`,
          `small/fast model: ${c.models.smallFast.id}${c.models.smallFast.region !== c.region ? ` (${c.models.smallFast.region})` : ''}`,
          `permission mode: ${host.permissionMode}`,
          `settings files: ${files.length === 0 ? 'none' : ''}`,
          ...files.map((f) => `  ${f.scope}: ${f.path}`),
        ].join('\n'),
        'plain',
      );
    },
  },
  {
    name: 'login',
    help: 'run awsAuthRefresh / awsCredentialExport now (there is no Anthropic login on Bedrock)',
    async run(host) {
      const c = host.config;
      if (c.auth.mode !== 'sigv4' || (!c.awsAuthRefresh && !c.awsCredentialExport)) {
        host.print(loginText(c), 'plain');
        return;
      }
      host.print(`Running ${c.awsAuthRefresh ? `awsAuthRefresh (${c.awsAuthRefresh})` : `awsCredentialExport (${c.awsCredentialExport})`} …`);
      // A credential source of its own, so the commands run now whatever the session has cached;
      // what they renew (~/.aws, the exporter's source) the session reads when it next resolves.
      const { createCredentialSource } = await import('../../bedrock/credentials.js');
      const source = createCredentialSource(c, { onNotice: (text) => host.print(text) });
      if (c.awsAuthRefresh) await source.refresh('/login');
      else await source.get();
      host.print(`Credentials now in use: ${source.describe()}.`, 'plain');
    },
  },
  {
    name: 'logout',
    help: 'how authentication works on Bedrock (changes nothing)',
    whileBusy: true,
    run(host) {
      host.print('bcode has nothing to log out of: on Amazon Bedrock, authentication comes from your AWS credentials (or a Bedrock API key). To stop using them, unset AWS_PROFILE / the AWS_* keys / AWS_BEARER_TOKEN_BEDROCK, or sign out with the AWS CLI (aws sso logout).', 'plain');
    },
  },
  {
    name: 'agents',
    help: 'list the sub-agent types the Task tool can run (name, source, description)',
    whileBusy: true,
    run(host) {
      host.print(agentsText(host.extensions), 'plain');
    },
  },
  {
    name: 'skills',
    help: 'list the skills offered to the model (name, source, description)',
    whileBusy: true,
    run(host) {
      host.print(skillsText(host.extensions), 'plain');
    },
  },
  {
    name: 'doctor',
    help: 'check the configuration, credentials, models and inference profiles (as `bcode doctor`)',
    async run(host) {
      host.print('Running the checks …');
      const [{ runDoctor }, { renderReport }] = await Promise.all([import('../../doctor/run.js'), import('../../doctor/render.js')]);
      const report = await runDoctor(host.config, [], { onNotice: (text) => host.print(text) });
      host.print(renderReport(report).trimEnd(), 'plain');
    },
  },
  {
    name: 'config',
    help: 'the configuration in effect and where each value comes from (as `bcode --print-config`)',
    whileBusy: true,
    async run(host) {
      const { configLines } = await import('../../config/describe.js');
      host.print(configLines(host.config).join('\n'), 'plain');
    },
  },
  {
    name: 'permissions',
    args: '[allow|ask|deny|remove <rule>]',
    help: 'list the permission rules; `allow|ask|deny <rule>` adds one (saved to .claude/settings.local.json); `remove <rule>` takes one out of the session and of the settings file it came from',
    whileBusy: true,
    async run(host, args) {
      const m = /^(allow|ask|deny|remove)\s+(\S[\s\S]*)$/.exec(args.trim());
      if (m) {
        const kind = m[1] as 'allow' | 'ask' | 'deny' | 'remove';
        host.print(kind === 'remove' ? await host.removeRule(m[2].trim()) : await host.addRule(kind, m[2].trim()));
        return;
      }
      if (args.trim() !== '') {
        host.print(`/permissions takes no argument, or allow|ask|deny|remove and a rule, got '${args.trim()}' (e.g. /permissions remove Bash(npm test:*))`, 'red');
        return;
      }
      const rules = host.listRules();
      if (!rules) {
        host.print('This session has no rule list.', 'plain');
        return;
      }
      const list = (name: string, items: string[]) => [`${name}:${items.length === 0 ? ' (none)' : ''}`, ...items.map((r) => `  ${r}`)];
      host.print(
        [`mode: ${host.permissionMode}`, ...list('allow', rules.allow), ...list('ask', rules.ask), ...list('deny', rules.deny), ...list('additional directories', rules.additionalDirectories)].join('\n'),
        'plain',
      );
      host.print('add one: /permissions allow|ask|deny <rule> · take one out: /permissions remove <rule>');
    },
  },
  {
    name: 'init',
    help: 'let the agent study this repository and write CLAUDE.md for later sessions',
    run(host) {
      host.submit(INIT_PROMPT);
    },
  },
  {
    name: 'exit',
    help: 'quit bcode',
    whileBusy: true,
    run(host) {
      host.quit();
    },
  },
];

const ALIASES: Record<string, string> = { quit: 'exit', '?': 'help' };

const INIT_PROMPT = [
  'Study this repository and write (or improve, if it exists) a CLAUDE.md at its root for future coding sessions.',
  'Keep it short and specific to this project: how to build, test, lint and run it (exact commands, including how to run a single test);',
  'the architecture in a few lines (main folders and what they hold, how a request or a change flows through them);',
  'conventions a newcomer would get wrong (naming, error handling, where tests go, generated files not to edit).',
  'Read the README, the package or build files and any existing agent instruction files (.cursorrules, AGENTS.md, .github/copilot-instructions.md) first, and leave out generic advice.',
].join(' ');

export function credentialMode(c: Config): string {
  if (c.auth.mode === 'bearer') return 'Bedrock API key (AWS_BEARER_TOKEN_BEDROCK)';
  if (c.auth.mode === 'none') return 'requests unsigned (CLAUDE_CODE_SKIP_BEDROCK_AUTH)';
  if (c.awsCredentialExport) return `awsCredentialExport (${c.awsCredentialExport})`;
  if (c.env.AWS_ACCESS_KEY_ID) return 'access keys in the environment';
  if (c.auth.profile) return `AWS profile ${c.auth.profile}`;
  return 'AWS SDK default credential chain';
}

function loginText(c: Config): string {
  const now = `Credentials now in use: ${credentialMode(c)}.`;
  if (c.awsAuthRefresh || c.awsCredentialExport) {
    return `On Bedrock, bcode renews credentials itself when they expire: it runs ${[c.awsAuthRefresh && `awsAuthRefresh (${c.awsAuthRefresh})`, c.awsCredentialExport && `awsCredentialExport (${c.awsCredentialExport})`].filter(Boolean).join(' and ')} and shows the refresh command's output here. ${now}`;
  }
  return `There is no Anthropic login on Bedrock: authentication comes from your AWS credentials. Set them with aws configure, aws sso login --profile <p> + AWS_PROFILE, aws login, access keys (AWS_ACCESS_KEY_ID …) or a Bedrock API key (AWS_BEARER_TOKEN_BEDROCK); settings awsAuthRefresh / awsCredentialExport let bcode renew them. ${now}`;
}

/** `/model opus` → the command and its arguments; undefined for an unknown name (with the nearest known one). */
export function parseCommand(line: string, customNames: readonly string[] = []): { command: SlashCommand; args: string } | { custom: string; args: string } | { unknown: string; suggestion?: string } {
  const m = /^\/(\S*)\s*([\s\S]*)$/.exec(line.trim());
  const name = (m?.[1] ?? '').toLowerCase();
  const args = m?.[2] ?? '';
  const command = COMMANDS.find((c) => c.name === (ALIASES[name] ?? name));
  if (command) return { command, args };
  // Custom command names keep their case (`/frontend:Component` is its own file).
  const custom = customNames.find((n) => n === m?.[1]);
  if (custom) return { custom, args };
  return { unknown: name, suggestion: nearest(name, customNames) };
}

function nearest(name: string, customNames: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const candidate of [...COMMANDS.map((c) => c.name), ...customNames]) {
    const d = candidate.startsWith(name) && name.length > 0 ? 0 : distance(name, candidate.toLowerCase());
    if (!best || d < best.d) best = { name: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 2)) ? best.name : undefined;
}

/** Levenshtein distance. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
