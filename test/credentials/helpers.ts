import { mkdirSync, writeFileSync } from 'node:fs';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { join } from 'node:path';
import type { Config } from '../../src/config/types.js';
import { makeTempDir } from '../helpers/temp.js';

/** A complete Config for credential tests; only the fields the credential layer reads matter. */
export function makeConfig(overrides: Partial<Config> & { env?: Record<string, string> } = {}): Config {
  const target = { id: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'us-east-1', endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com' };
  return {
    cwd: process.cwd(),
    projectRoot: process.cwd(),
    region: 'us-east-1',
    controlEndpoint: 'https://bedrock.us-east-1.amazonaws.com',
    customEndpoint: false,
    auth: { mode: 'sigv4' },
    models: { main: target, smallFast: target, aliases: { haiku: target.id, sonnet: target.id, opus: target.id } },
    maxOutputTokens: 32000,
    customHeaders: {},
    promptCaching: true,
    apiTimeoutMs: 600_000,
    permissions: { allow: [], ask: [], deny: [], additionalDirectories: [] },
    settings: {},
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    sources: {},
    verbose: false,
    debug: false,
    ...overrides,
  };
}

export interface TempHome {
  home: string;
  credentialsFile: string;
  configFile: string;
  /** Env pointing the AWS SDK and the CLI at the temporary files, with IMDS off. */
  env: Record<string, string>;
}

/** A temporary HOME with ~/.aws/credentials holding `keys` under [profile]. */
export function makeTempHome(profile: string, keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): TempHome {
  const home = makeTempDir('bcode-cred-');
  mkdirSync(join(home, '.aws'));
  const credentialsFile = join(home, '.aws', 'credentials');
  const configFile = join(home, '.aws', 'config');
  writeCredentialsFile(credentialsFile, profile, keys);
  writeFileSync(configFile, `[profile ${profile}]\nregion = us-east-1\n`);
  return {
    home,
    credentialsFile,
    configFile,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
      AWS_CONFIG_FILE: configFile,
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  };
}

export function writeCredentialsFile(file: string, profile: string, keys: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }): void {
  const lines = [`[${profile}]`, `aws_access_key_id = ${keys.accessKeyId}`, `aws_secret_access_key = ${keys.secretAccessKey}`];
  if (keys.sessionToken) lines.push(`aws_session_token = ${keys.sessionToken}`);
  writeFileSync(file, lines.join('\n') + '\n');
}

/** Writes an executable shell script and returns a command line running it. */
export function writeScript(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Builds a short-term Bedrock API key as AWS's token generator does: presign, drop the scheme, add Version, base64. */
export async function shortTermKey(region: string, issuedAt: Date, expiresInSeconds: number): Promise<string> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'ASIABEARERSIGNER0001', secretAccessKey: 'bearer/signer/secret/000000000001', sessionToken: 'bearer-signer-session-token-0001' },
    region,
    service: 'bedrock',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = new HttpRequest({ method: 'POST', protocol: 'https:', hostname: 'bedrock.amazonaws.com', path: '/', query: { Action: 'CallWithBearerToken' }, headers: { host: 'bedrock.amazonaws.com' } });
  const signed = await signer.presign(request, { expiresIn: expiresInSeconds, signingDate: issuedAt });
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `bedrock-api-key-${Buffer.from(`${signed.hostname}${signed.path}?${query}&Version=1`, 'utf8').toString('base64')}`;
}
