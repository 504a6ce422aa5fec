/**
 * The environment handed to child processes (Bash, hooks, MCP servers): bcode's own AWS secrets
 * removed unless settings allow them through (R3). Filled in by the credentials/secret-hygiene issue.
 */
const SECRET_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_BEARER_TOKEN_BEDROCK'];

export function childEnv(env: Record<string, string | undefined>, options: { passThroughAwsCredentials?: boolean } = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if (!options.passThroughAwsCredentials && SECRET_VARS.includes(k)) continue;
    out[k] = v;
  }
  return out;
}
