import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../../src/config/types.js';
import type { AwsCredentials, CredentialSource } from '../../src/bedrock/credentials-types.js';
import type { MessagesRequest } from '../../src/bedrock/anthropic.js';
import type { RetryNotice } from '../../src/bedrock/types.js';
import { TEST_CREDENTIALS } from '../../src/emulator/types.js';

export const MAIN_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const SMALL_MODEL = 'us.anthropic.claude-haiku-4-5-20251001-v1:0';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** A frozen Config as the loader would produce it, pointed at `endpoint` (the emulator). */
export function makeConfig(endpoint: string, overrides: DeepPartial<Config> = {}): Config {
  const region = overrides.region ?? 'us-east-1';
  const base: Config = {
    cwd: process.cwd(),
    projectRoot: process.cwd(),
    region,
    controlEndpoint: endpoint,
    customEndpoint: true,
    auth: { mode: 'sigv4' },
    models: {
      main: { id: MAIN_MODEL, region, endpoint },
      smallFast: { id: SMALL_MODEL, region, endpoint },
      aliases: { haiku: SMALL_MODEL, sonnet: MAIN_MODEL, opus: 'us.anthropic.claude-opus-4-1-20250805-v1:0' },
    },
    maxOutputTokens: 4096,
    thinkingBudget: undefined,
    customHeaders: {},
    promptCaching: true,
    apiTimeoutMs: 10_000,
    permissions: { allow: [], ask: [], deny: [], additionalDirectories: [] },
    settings: {},
    env: {},
    sources: {},
    verbose: false,
    debug: false,
  };
  const merged: Config = {
    ...base,
    ...(overrides as Partial<Config>),
    auth: { ...base.auth, ...(overrides.auth as Partial<Config['auth']>) },
    models: {
      main: { ...base.models.main, ...(overrides.models?.main as Partial<Config['models']['main']>) },
      smallFast: { ...base.models.smallFast, ...(overrides.models?.smallFast as Partial<Config['models']['smallFast']>) },
      aliases: base.models.aliases,
    },
  };
  return Object.freeze(merged);
}

/** A CredentialSource over fixed credentials that counts refreshes (and can swap keys on refresh). */
export class TestCredentials implements CredentialSource {
  refreshes: string[] = [];
  gets = 0;
  constructor(
    public current: AwsCredentials = { accessKeyId: TEST_CREDENTIALS[0].accessKeyId, secretAccessKey: TEST_CREDENTIALS[0].secretAccessKey },
    private readonly next?: AwsCredentials,
  ) {}
  describe(): string {
    return 'test';
  }
  async get(): Promise<AwsCredentials> {
    this.gets++;
    return this.current;
  }
  async refresh(reason: string): Promise<void> {
    this.refreshes.push(reason);
    if (this.next) this.current = this.next;
  }
}

export function simpleRequest(text = 'hello', extra: Partial<MessagesRequest> = {}): MessagesRequest {
  return { max_tokens: 4096, messages: [{ role: 'user', content: text }], ...extra };
}

/** Sleep that never waits but records every delay. */
export function fakeSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

export function retryCollector(): { onRetry: (n: RetryNotice) => void; notices: RetryNotice[] } {
  const notices: RetryNotice[] = [];
  return { notices, onRetry: (n) => notices.push(n) };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export async function catchError(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

export interface Proxy {
  url: string;
  seen: Array<{ path: string; headers: IncomingMessage['headers'] }>;
  close(): Promise<void>;
}

/**
 * A loopback gateway in front of the emulator: strips `prefix` from the path (as a real gateway
 * behind ANTHROPIC_BEDROCK_BASE_URL=https://gw/prefix would) and can rewrite the response
 * content type (to play a proxy that breaks event streams). Headers pass unchanged (Host
 * included), so a SigV4 signature still verifies when no prefix is stripped.
 */
export async function startProxy(target: string, opts: { prefix?: string; contentType?: string } = {}): Promise<Proxy> {
  const seen: Proxy['seen'] = [];
  const t = new URL(target);
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    seen.push({ path, headers: req.headers });
    const forwardPath = opts.prefix && path.startsWith(opts.prefix) ? path.slice(opts.prefix.length) : path;
    const up = httpRequest(
      { host: t.hostname, port: t.port, method: req.method, path: forwardPath, headers: req.headers },
      (upRes) => {
        const headers = { ...upRes.headers };
        if (opts.contentType && upRes.statusCode === 200) headers['content-type'] = opts.contentType;
        res.writeHead(upRes.statusCode ?? 502, headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}${opts.prefix ?? ''}`,
    seen,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A loopback server answering every request with `handler` (for wire shapes the emulator does not script). */
export async function startRawServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}
