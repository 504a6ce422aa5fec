/**
 * Signing in to a remote MCP server (`bcode mcp login`, `/mcp auth` in the terminal UI): a
 * one-shot HTTP listener on 127.0.0.1 (a random port) receives the authorization code; the user
 * is shown the authorization URL, and a browser is opened only where that is cheap and safe
 * ($BROWSER, or xdg-open / open with a display), never required. The URL of the redirect may
 * also be pasted (a browser on another machine). The SDK does the rest (oauth-provider.ts).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { BcodeError } from '../../errors.js';
import { BcodeOAuthProvider } from './oauth-provider.js';
import { OAuthStore } from './oauth-store.js';

export class McpLoginError extends BcodeError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: 1 });
  }
}

export interface LoginOptions {
  server: string;
  url: string;
  /** The directory of the stored OAuth files (oauthDir). */
  dir: string;
  env: Record<string, string | undefined>;
  fetchFn?: (input: string | URL, init?: RequestInit) => Promise<Response>;
  /** Lines for the user (the authorization URL among them). */
  print: (line: string) => void;
  /** false: only print the URL (--no-browser). */
  browser: boolean;
  /** Lines the user types (a pasted redirect URL); absent where nothing can be typed. */
  pasted?: AsyncIterable<string>;
  /** How long to wait for the browser (default 5 minutes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Loopback {
  redirectUrl: string;
  code: Promise<{ code: string; state: string | null }>;
  close(): void;
}

const PAGE = (text: string) => `<!doctype html><meta charset="utf-8"><title>bcode</title><p>${text}</p>`;

async function startLoopback(): Promise<Loopback> {
  let deliver!: (v: { code: string; state: string | null }) => void;
  let fail!: (e: Error) => void;
  const code = new Promise<{ code: string; state: string | null }>((resolve, reject) => {
    deliver = resolve;
    fail = reject;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/callback') {
      res.writeHead(404).end();
      return;
    }
    const error = url.searchParams.get('error');
    const got = url.searchParams.get('code');
    res.writeHead(error || !got ? 400 : 200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
    if (error) {
      res.end(PAGE('Sign-in failed. You can close this tab and look at bcode.'));
      fail(new McpLoginError(`the authorization server refused the sign-in: ${error}${url.searchParams.get('error_description') ? ` (${url.searchParams.get('error_description')})` : ''}`, 'try again, and approve the access in the browser'));
      return;
    }
    if (!got) {
      res.end(PAGE('This address expects an authorization code.'));
      return;
    }
    res.end(PAGE('Signed in. You can close this tab and return to bcode.'));
    deliver({ code: got, state: url.searchParams.get('state') });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    redirectUrl: `http://127.0.0.1:${port}/callback`,
    code,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

function onPath(name: string, envPath: string | undefined): boolean {
  return (envPath ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Opens the URL in a browser where that is cheap and safe; says whether it tried. No shell. */
export function openBrowser(url: URL, env: Record<string, string | undefined>): boolean {
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  let command: string | undefined;
  if (env.BROWSER?.trim()) command = env.BROWSER.trim();
  else if (process.platform === 'darwin') command = 'open';
  else if ((env.DISPLAY || env.WAYLAND_DISPLAY) && onPath('xdg-open', env.PATH)) command = 'xdg-open';
  if (!command) return false;
  try {
    const child = spawn(command, [url.href], { stdio: 'ignore', detached: true, env: env as NodeJS.ProcessEnv });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** A pasted line that is the redirect URL (or just its query): the code and state in it. */
function codeFromPasted(line: string): { code: string; state: string | null } | undefined {
  const text = line.trim();
  if (!text) return undefined;
  try {
    const url = new URL(text.includes('://') ? text : `http://x/?${text.replace(/^\?/, '')}`);
    const code = url.searchParams.get('code');
    return code ? { code, state: url.searchParams.get('state') } : undefined;
  } catch {
    return undefined;
  }
}

async function firstPasted(lines: AsyncIterable<string>): Promise<{ code: string; state: string | null }> {
  for await (const line of lines) {
    const got = codeFromPasted(line);
    if (got) return got;
  }
  return new Promise(() => undefined);
}

/**
 * Runs the sign-in and stores the tokens. Resolves 'refreshed' when stored credentials were
 * still good (a refresh, no browser), 'signed-in' after a browser sign-in.
 */
export async function mcpLogin(o: LoginOptions): Promise<'refreshed' | 'signed-in'> {
  const { auth } = await import('@modelcontextprotocol/sdk/client/auth.js');
  const store = new OAuthStore(o.dir, o.server, o.url);
  const loop = await startLoopback();
  let timer: NodeJS.Timeout | undefined;
  try {
    const provider = new BcodeOAuthProvider(store, {
      redirectUrl: loop.redirectUrl,
      onAuthorizationUrl: (url) => {
        o.print(`To sign in to MCP server '${o.server}', open this address in a browser:`);
        o.print(`  ${url.href}`);
        const opened = o.browser && openBrowser(url, o.env);
        o.print(opened ? 'A browser was opened; waiting for the sign-in …' : `Waiting for the sign-in (the browser is sent back to ${loop.redirectUrl}; or paste the address it ends on here) …`);
      },
    });
    const started = await auth(provider, { serverUrl: o.url, ...(o.fetchFn ? { fetchFn: o.fetchFn } : {}) }).catch((err: unknown) => {
      throw describeFailure(err, o.server, o.url);
    });
    if (started === 'AUTHORIZED') return 'refreshed';
    const limit = o.timeoutMs ?? 5 * 60_000;
    const waits: Array<Promise<{ code: string; state: string | null }>> = [
      loop.code,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new McpLoginError(`no sign-in for MCP server '${o.server}' within ${Math.round(limit / 1000)} s`, `run bcode mcp login ${o.server} again and finish the sign-in in the browser`)), limit);
      }),
    ];
    if (o.pasted) waits.push(firstPasted(o.pasted));
    if (o.signal) waits.push(new Promise((_, reject) => o.signal!.addEventListener('abort', () => reject(new McpLoginError('the sign-in was cancelled', `run bcode mcp login ${o.server} to try again`)), { once: true })));
    const got = await Promise.race(waits);
    if (got.state !== provider.expectedState) throw new McpLoginError('the sign-in answer does not belong to this sign-in (its state differs)', `run bcode mcp login ${o.server} again`);
    await auth(provider, { serverUrl: o.url, authorizationCode: got.code, ...(o.fetchFn ? { fetchFn: o.fetchFn } : {}) }).catch((err: unknown) => {
      throw describeFailure(err, o.server, o.url);
    });
    return 'signed-in';
  } finally {
    clearTimeout(timer);
    loop.close();
  }
}

function describeFailure(err: unknown, server: string, url: string): BcodeError {
  if (err instanceof BcodeError) return err;
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.slice(0, 300);
  return new McpLoginError(`signing in to MCP server '${server}' failed: ${text}`, `check that ${new URL(url).origin} supports OAuth sign-in (MCP authorization), or give the server a token with --header`);
}
