/**
 * The environment handed to child processes (Bash, hooks, MCP servers): bcode's own AWS secrets
 * removed unless settings allow them through (R3). `awsAuthRefresh` and `awsCredentialExport`
 * are the exception: they get the full environment because they exist to talk to AWS.
 */
import type { Config } from '../config/types.js';
import { isRegisteredSecret } from './redact.js';

/** Settings key that lets tools see bcode's AWS credentials (documented in docs/credentials.md). */
export const PASS_THROUGH_SETTING = 'passAwsCredentialsToTools';

/** Variables never handed to tools unless passed through: credentials and their metadata. */
export const CHILD_SECRET_VARS: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_BEARER_TOKEN_BEDROCK',
  'AWS_CREDENTIAL_EXPIRATION',
];

export interface ChildEnvOptions {
  passThroughAwsCredentials?: boolean;
}

function isSecretVar(name: string, value: string): boolean {
  if (CHILD_SECRET_VARS.includes(name) || name.startsWith('AWS_BEARER_TOKEN_')) return true;
  // Catches credentials bcode obtained (e.g. through awsCredentialExport) that ended up in
  // some other variable, such as a settings `env` entry copying them.
  return isRegisteredSecret(value);
}

export function childEnv(env: Record<string, string | undefined>, options: ChildEnvOptions = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (!options.passThroughAwsCredentials && isSecretVar(k, v)) continue;
    out[k] = v;
  }
  return out;
}

/** True when settings ask for AWS credentials to reach tools (only a literal `true` counts). */
export function passesAwsCredentials(config: Pick<Config, 'settings'>): boolean {
  return config.settings[PASS_THROUGH_SETTING] === true;
}

/** The environment for tools, hooks and MCP servers of a session. */
export function childEnvForConfig(config: Pick<Config, 'env' | 'settings'>): Record<string, string> {
  return childEnv(config.env, { passThroughAwsCredentials: passesAwsCredentials(config) });
}
