/**
 * `bcode` / `bcode "task"` in a terminal: the interactive UI (src/ui/tui) over one session, made
 * with the same options as print mode's. This module and the UI load only when the UI opens.
 */
import { isTrueWord } from '../config/env.js';
import type { Config } from '../config/types.js';
import { UsageError } from '../errors.js';
import type { PermissionMode } from '../permissions/types.js';
import { createSession } from '../session/create.js';
import { listSessions } from '../session/list.js';
import { parseAgentsJson } from '../extensions/agents/discover.js';
import { runTui } from '../ui/tui/run.js';
import { pickSessionToResume } from '../ui/tui/resume-start.js';
import { checkForkSession } from './session-flags.js';
import type { MainOptions } from './program.js';
import type { EarlyInput } from '../ui/tui/early-box.js';

export async function runInteractive(prompt: string, opts: MainOptions, config: Config, warnings: string[], version: string, started?: () => void, early?: EarlyInput): Promise<number> {
  const forkSession = checkForkSession(opts);
  let resume: { latest: true } | { id: string } | undefined = opts.continue ? { latest: true } : typeof opts.resume === 'string' ? { id: opts.resume } : undefined;
  if (opts.resume === true && !opts.continue) {
    // `bcode -r` without an id: pick one of this folder's sessions first (issue 12).
    const sessions = listSessions(config.env, config.cwd);
    if (sessions.length === 0) throw new UsageError(`no earlier session in ${config.cwd} to resume`, { hint: 'run bcode without -r to start one' });
    const id = await pickSessionToResume(sessions);
    if (id === undefined) return 0;
    resume = { id };
  }
  return runTui({
    config,
    version,
    warnings,
    initialPrompt: prompt,
    resumed: resume !== undefined,
    started,
    early,
    createSession: (frontEnd, { resumeId, askTrust, askMcpApproval }) =>
      createSession(config, {
        frontEnd,
        permissionMode: opts.permissionMode as PermissionMode | undefined,
        systemPrompt: opts.systemPrompt,
        appendSystemPrompt: opts.appendSystemPrompt,
        resume: resumeId ? { id: resumeId } : resume,
        forkSession: resumeId ? undefined : forkSession,
        // Interactive sessions get a title for the resume picker (src/session/title.ts), unless
        // DISABLE_NON_ESSENTIAL_MODEL_CALLS turns such calls off.
        title: !isTrueWord(config.env.DISABLE_NON_ESSENTIAL_MODEL_CALLS ?? ''),
        // The project's own hooks: asked once per folder, in the UI, while the session is made.
        askTrust,
        // The project's MCP servers (.mcp.json): asked once per server, saved to settings.local.json.
        askMcpApproval,
        agents: opts.agents === undefined ? undefined : parseAgentsJson(opts.agents),
      }),
  });
}
