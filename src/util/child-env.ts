/**
 * The environment handed to child processes (Bash, hooks, MCP servers): bcode's own AWS secrets
 * removed unless settings allow them through (R3). `awsAuthRefresh` and `awsCredentialExport`
 * are the exception: they get the full environment because they exist to talk to AWS.
 */
import type { Config } from '../config/types.js';
import { isRegisteredSecret } from './redact.js';

/** Settings key that lets tools see bcode's AWS credentials (documented in docs/credentials.md). */
export const PASS_THROUGH_SETTING = 'passAwsCredentialsToTools';

/**
 * Variables never handed to tools unless passed through: everything the AWS SDK's credential
 * providers read that is, or leads straight to, the credentials bcode signs with (the env names
 * come from @aws-sdk/credential-provider-env, -http and -web-identity).
 */
export const CHILD_SECRET_VARS: readonly string[] = [
  // Static / temporary keys and their metadata (a tool has no use for half a key set).
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_CREDENTIAL_SCOPE',
  // Stryker disable next-line StringLiteral: equivalent, the AWS_BEARER_TOKEN_ prefix rule below holds it back too; listed so the list stays complete.
  'AWS_BEARER_TOKEN_BEDROCK',
  // Container credentials (ECS, EKS Pod Identity): the token, or the file holding it, is the
  // Authorization for the endpoint that hands out the role's keys; on ECS the relative URI alone
  // is enough (the endpoint trusts whoever knows it).
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  // Web identity (IRSA, OIDC federation): STS AssumeRoleWithWebIdentity is an unsigned call, so
  // the token file plus the role ARN are the credentials. The ARN and the session name are not
  // secret by themselves, but they are the other half of that pair and nothing else reads them.
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
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
