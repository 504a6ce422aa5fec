/**
 * Where the OAuth state of one remote MCP server is kept between runs: the client bcode
 * registered with its authorization server, the tokens it was given, and what discovery found.
 * One file per server (name and URL hashed), `<config dir>/bcode/mcp-oauth/<hash>.json`, mode
 * 0600, replaced atomically. The token values are registered with the redaction layer as soon
 * as they are read or written, so no output path can show them.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { userConfigDir } from '../../config/trust.js';
import { atomicWriteFile } from '../../util/atomic-write.js';
import { addSecret } from '../../util/redact.js';

/** What the SDK hands over, kept exactly as given (it stamps an `issuer` it checks later). */
export type Json = Record<string, unknown>;

export interface OAuthRecord {
  server: string;
  url: string;
  clientInformation?: Json;
  tokens?: Json;
  /** When the tokens were saved (ms), to tell an expired access token from a fresh one. */
  savedAt?: number;
  discoveryState?: Json;
}

/** The directory of the stored OAuth files, from the shell's HOME / CLAUDE_CONFIG_DIR. */
export function oauthDir(env: Record<string, string | undefined>): string {
  return path.join(userConfigDir(env), 'bcode', 'mcp-oauth');
}

export function oauthFile(dir: string, server: string, url: string): string {
  const hash = createHash('sha256').update(`${server}\n${url}`).digest('hex').slice(0, 24);
  return path.join(dir, `${hash}.json`);
}

function registerSecrets(r: OAuthRecord): void {
  for (const key of ['access_token', 'refresh_token', 'id_token']) addSecret(typeof r.tokens?.[key] === 'string' ? (r.tokens[key] as string) : undefined);
  addSecret(typeof r.clientInformation?.client_secret === 'string' ? r.clientInformation.client_secret : undefined);
}

export class OAuthStore {
  readonly file: string;
  record: OAuthRecord;

  constructor(dir: string, readonly server: string, readonly url: string) {
    this.file = oauthFile(dir, server, url);
    this.record = this.read();
  }

  private read(): OAuthRecord {
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as OAuthRecord;
      // A file for another server (a hash collision, a hand edit) is not used.
      if (parsed && parsed.server === this.server && parsed.url === this.url) {
        registerSecrets(parsed);
        return parsed;
      }
    } catch {
      // Missing or unreadable: nothing stored yet; the next save writes a fresh file.
    }
    return { server: this.server, url: this.url };
  }

  /** Whether a sign-in left anything usable here. */
  get hasTokens(): boolean {
    return typeof this.record.tokens?.access_token === 'string';
  }

  async update(change: (r: OAuthRecord) => void): Promise<void> {
    change(this.record);
    registerSecrets(this.record);
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await atomicWriteFile(this.file, `${JSON.stringify(this.record, null, 2)}\n`, { mode: 0o600 });
    // atomicWriteFile keeps an existing file's mode: a token file is the user's alone, whatever it was.
    chmodSync(this.file, 0o600);
  }

  /** Forgets everything stored for this server (`bcode mcp logout`). True when there was a file. */
  remove(): boolean {
    const had = this.hasTokens || this.record.clientInformation !== undefined;
    rmSync(this.file, { force: true });
    this.record = { server: this.server, url: this.url };
    return had;
  }
}
