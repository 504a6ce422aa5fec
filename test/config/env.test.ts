import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fixture } from './fixture.js';

let fx: Fixture;
beforeEach(() => {
  fx = new Fixture();
});
afterEach(() => fx.cleanup());

describe('B1 CLAUDE_CODE_USE_BEDROCK', () => {
  it.each(['1', 'true', 'YES', ''])('accepts %j', async (v) => {
    await expect(fx.load({ CLAUDE_CODE_USE_BEDROCK: v })).resolves.toBeDefined();
  });

  it.each(['0', 'false', 'no'])('refuses %j: bcode runs only on Bedrock', async (v) => {
    expect(await fx.error({ CLAUDE_CODE_USE_BEDROCK: v })).toBe(
      `bcode: bcode runs only on Amazon Bedrock, but CLAUDE_CODE_USE_BEDROCK=${v} turns Bedrock off\n  hint: unset CLAUDE_CODE_USE_BEDROCK or set it to 1`,
    );
  });

  it('refuses any other value', async () => {
    expect(await fx.error({ CLAUDE_CODE_USE_BEDROCK: 'maybe' })).toBe(
      "bcode: CLAUDE_CODE_USE_BEDROCK must be 1, true or yes, got 'maybe'\n  hint: export CLAUDE_CODE_USE_BEDROCK=1 (or leave it unset: bcode always uses Bedrock)",
    );
  });
});

describe('B2 AWS_REGION', () => {
  it('is required', async () => {
    expect(await fx.error({ AWS_REGION: undefined })).toBe('bcode: AWS_REGION is not set\n  hint: export AWS_REGION=us-east-1 (the region where your Bedrock models are enabled)');
  });

  it('names the active profile region from AWS_CONFIG_FILE, without using it', async () => {
    const cfg = fx.write('aws/config', '[default]\nregion = us-west-2\n\n[profile dev]\noutput = json\nregion=eu-west-1\n');
    expect(await fx.errorLine({ AWS_REGION: undefined, AWS_CONFIG_FILE: cfg, AWS_PROFILE: 'dev' })).toBe(
      "bcode: AWS_REGION is not set; your profile 'dev' uses eu-west-1 — export AWS_REGION=eu-west-1",
    );
    expect(await fx.errorLine({ AWS_REGION: undefined, AWS_CONFIG_FILE: cfg })).toBe(
      "bcode: AWS_REGION is not set; your profile 'default' uses us-west-2 — export AWS_REGION=us-west-2",
    );
  });

  it('looks in ~/.aws/config of HOME, with the profile from settings env', async () => {
    fx.write('home/.aws/config', '[profile sso-dev]\nregion = ap-southeast-2\n');
    fx.write(fx.userSettings, { env: { AWS_PROFILE: 'sso-dev' } });
    expect(await fx.errorLine({ AWS_REGION: undefined })).toBe("bcode: AWS_REGION is not set; your profile 'sso-dev' uses ap-southeast-2 — export AWS_REGION=ap-southeast-2");
  });

  it('mentions AWS_DEFAULT_REGION when only that is set', async () => {
    expect(await fx.error({ AWS_REGION: undefined, AWS_DEFAULT_REGION: 'eu-central-1' })).toBe(
      'bcode: AWS_REGION is not set (AWS_DEFAULT_REGION is, but bcode reads only AWS_REGION)\n  hint: export AWS_REGION=eu-central-1',
    );
  });

  it.each(['us-east-1', 'us-gov-west-1', 'eu-central-2', 'ap-southeast-4', 'cn-north-1'])('accepts %s', async (r) => {
    const { config } = await fx.load({ AWS_REGION: r });
    expect(config.region).toBe(r);
    expect(config.sources.region).toBe('env:AWS_REGION');
  });

  it.each([
    ['useast1', "bcode: AWS_REGION must be an AWS region such as us-east-1, got 'useast1'\n  hint: e.g. export AWS_REGION=us-east-1"],
    ['US-EAST-1', "bcode: AWS_REGION must be a region in lower case, got 'US-EAST-1'\n  hint: export AWS_REGION=us-east-1"],
    ['us-east-1a', "bcode: AWS_REGION must be a region, got 'us-east-1a', which is an availability zone\n  hint: export AWS_REGION=us-east-1"],
  ])('refuses %s', async (r, expected) => {
    expect(await fx.error({ AWS_REGION: r })).toBe(expected);
  });
});

describe('endpoints and auth (B4, B16)', () => {
  it('defaults to the regional runtime and control endpoints with SigV4', async () => {
    const { config } = await fx.load({ AWS_REGION: 'eu-west-3' });
    expect(config.models.main.endpoint).toBe('https://bedrock-runtime.eu-west-3.amazonaws.com');
    expect(config.controlEndpoint).toBe('https://bedrock.eu-west-3.amazonaws.com');
    expect(config.customEndpoint).toBe(false);
    expect(config.auth).toEqual({ mode: 'sigv4' });
  });

  it('uses the China partition domain for cn- regions', async () => {
    const { config } = await fx.load({ AWS_REGION: 'cn-northwest-1' });
    expect(config.models.main.endpoint).toBe('https://bedrock-runtime.cn-northwest-1.amazonaws.com.cn');
  });

  it('records AWS_PROFILE for SigV4', async () => {
    const { config } = await fx.load({ AWS_PROFILE: 'dev' });
    expect(config.auth).toEqual({ mode: 'sigv4', profile: 'dev' });
    expect(config.sources['auth.profile']).toBe('env:AWS_PROFILE');
  });

  it('AWS_BEARER_TOKEN_BEDROCK selects bearer auth over the chain', async () => {
    const { config } = await fx.load({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKfakefakefake1234', AWS_PROFILE: 'dev' });
    expect(config.auth).toEqual({ mode: 'bearer', bearerToken: 'ABSKfakefakefake1234' });
    expect(config.sources['auth.mode']).toBe('env:AWS_BEARER_TOKEN_BEDROCK');
  });

  it('refuses a bearer token with whitespace without echoing it', async () => {
    const err = await fx.error({ AWS_BEARER_TOKEN_BEDROCK: 'ABSKfake fake1234' });
    expect(err).toBe('bcode: AWS_BEARER_TOKEN_BEDROCK contains whitespace\n  hint: copy the Bedrock API key again, without spaces or line breaks');
  });

  it('ANTHROPIC_BEDROCK_BASE_URL replaces every endpoint and keeps a path prefix', async () => {
    const { config } = await fx.load({ ANTHROPIC_BEDROCK_BASE_URL: 'https://gw.example.com/bedrock/', ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'us-west-2' });
    expect(config.models.main.endpoint).toBe('https://gw.example.com/bedrock');
    expect(config.models.smallFast.endpoint).toBe('https://gw.example.com/bedrock');
    expect(config.models.smallFast.region).toBe('us-west-2');
    expect(config.controlEndpoint).toBe('https://gw.example.com/bedrock');
    expect(config.customEndpoint).toBe(true);
    expect(config.sources.endpoint).toBe('env:ANTHROPIC_BEDROCK_BASE_URL');
  });

  it('accepts a loopback http URL with a port', async () => {
    const { config } = await fx.load({ ANTHROPIC_BEDROCK_BASE_URL: 'http://127.0.0.1:43210' });
    expect(config.models.main.endpoint).toBe('http://127.0.0.1:43210');
  });

  it.each([
    ['not a url', 'bcode: ANTHROPIC_BEDROCK_BASE_URL must be an http(s) URL, and this value is not a URL\n  hint: e.g. export ANTHROPIC_BEDROCK_BASE_URL=https://llm-gateway.example.com/bedrock'],
    ['ftp://gw.example.com', "bcode: ANTHROPIC_BEDROCK_BASE_URL must be an http(s) URL, got the scheme 'ftp'\n  hint: e.g. export ANTHROPIC_BEDROCK_BASE_URL=https://llm-gateway.example.com/bedrock"],
    ['https://user:hunter2hunter2@gw.example.com', 'bcode: ANTHROPIC_BEDROCK_BASE_URL must not contain a user name or password\n  hint: pass gateway credentials as a header in ANTHROPIC_CUSTOM_HEADERS instead'],
    ['https://gw.example.com/x?key=1', 'bcode: ANTHROPIC_BEDROCK_BASE_URL must not have a query string or fragment\n  hint: e.g. export ANTHROPIC_BEDROCK_BASE_URL=https://llm-gateway.example.com/bedrock'],
  ])('refuses ANTHROPIC_BEDROCK_BASE_URL=%s', async (v, expected) => {
    expect(await fx.error({ ANTHROPIC_BEDROCK_BASE_URL: v })).toBe(expected);
  });

  it('CLAUDE_CODE_SKIP_BEDROCK_AUTH=1 selects no auth, even with a bearer token', async () => {
    const { config, warnings } = await fx.load({ CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1', AWS_BEARER_TOKEN_BEDROCK: 'ABSKfakefakefake1234' });
    expect(config.auth).toEqual({ mode: 'none' });
    expect(config.sources['auth.mode']).toBe('env:CLAUDE_CODE_SKIP_BEDROCK_AUTH');
    expect(warnings).toEqual(['AWS_BEARER_TOKEN_BEDROCK is ignored because CLAUDE_CODE_SKIP_BEDROCK_AUTH is set']);
  });

  it('CLAUDE_CODE_SKIP_BEDROCK_AUTH=0 keeps SigV4; other values are refused', async () => {
    expect((await fx.load({ CLAUDE_CODE_SKIP_BEDROCK_AUTH: '0' })).config.auth.mode).toBe('sigv4');
    expect(await fx.error({ CLAUDE_CODE_SKIP_BEDROCK_AUTH: 'please' })).toBe(
      "bcode: CLAUDE_CODE_SKIP_BEDROCK_AUTH must be 1 or 0 (or true/false, yes/no), got 'please'\n  hint: e.g. export CLAUDE_CODE_SKIP_BEDROCK_AUTH=1",
    );
  });
});

describe('B12 DISABLE_PROMPT_CACHING', () => {
  it('caching is on by default and off with 1', async () => {
    expect((await fx.load()).config.promptCaching).toBe(true);
    const { config } = await fx.load({ DISABLE_PROMPT_CACHING: '1' });
    expect(config.promptCaching).toBe(false);
    expect(config.sources.promptCaching).toBe('env:DISABLE_PROMPT_CACHING');
    expect((await fx.load({ DISABLE_PROMPT_CACHING: 'false' })).config.promptCaching).toBe(true);
  });

  it('refuses other values', async () => {
    expect(await fx.errorLine({ DISABLE_PROMPT_CACHING: 'sometimes' })).toBe("bcode: DISABLE_PROMPT_CACHING must be 1 or 0 (or true/false, yes/no), got 'sometimes'");
  });
});

describe('B13 CLAUDE_CODE_MAX_OUTPUT_TOKENS and MAX_THINKING_TOKENS', () => {
  it('defaults to 4096 max tokens (what bcode recommends on Bedrock) and no thinking', async () => {
    const { config } = await fx.load();
    expect(config.maxOutputTokens).toBe(4096);
    expect(config.thinkingBudget).toBeUndefined();
    expect(config.sources.maxOutputTokens).toBe('default');
  });

  it('takes both values', async () => {
    const { config } = await fx.load({ CLAUDE_CODE_MAX_OUTPUT_TOKENS: '4096', MAX_THINKING_TOKENS: '1024' });
    expect(config.maxOutputTokens).toBe(4096);
    expect(config.thinkingBudget).toBe(1024);
    expect(config.sources.thinkingBudget).toBe('env:MAX_THINKING_TOKENS');
  });

  it('MAX_THINKING_TOKENS=0 means no thinking', async () => {
    expect((await fx.load({ MAX_THINKING_TOKENS: '0' })).config.thinkingBudget).toBeUndefined();
  });

  it.each(['abc', '4e3', '4096.0', '-1', '0'])('refuses CLAUDE_CODE_MAX_OUTPUT_TOKENS=%s', async (v) => {
    expect(await fx.error({ CLAUDE_CODE_MAX_OUTPUT_TOKENS: v })).toBe(
      `bcode: CLAUDE_CODE_MAX_OUTPUT_TOKENS must be a whole number ≥ 1, got '${v}'\n  hint: e.g. export CLAUDE_CODE_MAX_OUTPUT_TOKENS=4096`,
    );
  });

  it('refuses a thinking budget that is not a number', async () => {
    expect(await fx.errorLine({ MAX_THINKING_TOKENS: 'big' })).toBe("bcode: MAX_THINKING_TOKENS must be a whole number (0 = no thinking, or 1024 or more), got 'big'");
  });

  it('refuses a thinking budget below 1024', async () => {
    expect(await fx.error({ MAX_THINKING_TOKENS: '512' })).toBe(
      "bcode: MAX_THINKING_TOKENS must be 0 or at least 1024 (Bedrock's smallest thinking budget), got 512\n  hint: export MAX_THINKING_TOKENS=1024, or 0 to turn thinking off",
    );
  });

  it('refuses a thinking budget not below max tokens', async () => {
    expect(await fx.errorLine({ CLAUDE_CODE_MAX_OUTPUT_TOKENS: '4096', MAX_THINKING_TOKENS: '4096' })).toBe(
      'bcode: MAX_THINKING_TOKENS (4096) must be less than CLAUDE_CODE_MAX_OUTPUT_TOKENS (4096)',
    );
  });

  it('a thinking budget at or above the default limit, with no limit set, gets the default room on top', async () => {
    const { config } = await fx.load({ MAX_THINKING_TOKENS: '8000' });
    expect(config.thinkingBudget).toBe(8000);
    expect(config.maxOutputTokens).toBe(8000 + 4096);
    expect(config.sources.maxOutputTokens).toBe('default (MAX_THINKING_TOKENS + 4096)');
  });
});

describe('API_TIMEOUT_MS', () => {
  it('defaults to 10 minutes', async () => {
    expect((await fx.load()).config.apiTimeoutMs).toBe(600000);
    expect((await fx.load({ API_TIMEOUT_MS: '120000' })).config.apiTimeoutMs).toBe(120000);
  });

  it('refuses a non-number', async () => {
    expect(await fx.error({ API_TIMEOUT_MS: '10m' })).toBe("bcode: API_TIMEOUT_MS must be a whole number from 1 to 2147483647, got '10m'\n  hint: e.g. export API_TIMEOUT_MS=600000");
  });
});

describe('B14 ANTHROPIC_CUSTOM_HEADERS', () => {
  it('parses Name: value lines, skipping blank ones', async () => {
    const { config } = await fx.load({ ANTHROPIC_CUSTOM_HEADERS: 'X-Amzn-Bedrock-GuardrailIdentifier: gr-123\n\n  X-Amzn-Bedrock-GuardrailVersion:2 \r\nX-Trace: a:b:c\n' });
    expect(config.customHeaders).toEqual({ 'X-Amzn-Bedrock-GuardrailIdentifier': 'gr-123', 'X-Amzn-Bedrock-GuardrailVersion': '2', 'X-Trace': 'a:b:c' });
    expect(config.sources.customHeaders).toBe('env:ANTHROPIC_CUSTOM_HEADERS');
  });

  it('refuses a line without a colon, naming the line but not its content', async () => {
    const err = await fx.error({ ANTHROPIC_CUSTOM_HEADERS: 'X-Ok: 1\nBearer sk-secret-value' });
    expect(err).toBe("bcode: ANTHROPIC_CUSTOM_HEADERS line 2 has no ':'; each line must be 'Name: value'\n  hint: e.g. X-Amzn-Bedrock-GuardrailIdentifier: abc123 — one header per line");
  });

  it('refuses an invalid header name', async () => {
    expect(await fx.errorLine({ ANTHROPIC_CUSTOM_HEADERS: '\nX Bad Name: 1' })).toBe('bcode: ANTHROPIC_CUSTOM_HEADERS line 2: the header name is not a valid HTTP header name');
    expect(await fx.errorLine({ ANTHROPIC_CUSTOM_HEADERS: ': value' })).toBe("bcode: ANTHROPIC_CUSTOM_HEADERS line 1 has no header name before ':'");
  });

  it('refuses repeated and reserved headers', async () => {
    expect(await fx.errorLine({ ANTHROPIC_CUSTOM_HEADERS: 'X-A: 1\nx-a: 2' })).toBe('bcode: ANTHROPIC_CUSTOM_HEADERS line 2 repeats the header x-a (first set on line 1)');
    expect(await fx.errorLine({ ANTHROPIC_CUSTOM_HEADERS: 'Host: evil.example.com' })).toBe('bcode: ANTHROPIC_CUSTOM_HEADERS line 1: Host cannot be set, bcode computes it for each request');
    expect(await fx.error({ ANTHROPIC_CUSTOM_HEADERS: 'Authorization: Bearer gw-token' })).toBe(
      'bcode: ANTHROPIC_CUSTOM_HEADERS line 1: Authorization cannot be set, bcode computes it for each request\n  hint: to send your own Authorization header to a gateway, also set CLAUDE_CODE_SKIP_BEDROCK_AUTH=1',
    );
  });

  it('allows Authorization when bcode does not authenticate', async () => {
    const { config } = await fx.load({ ANTHROPIC_CUSTOM_HEADERS: 'Authorization: Bearer gw-token', CLAUDE_CODE_SKIP_BEDROCK_AUTH: '1' });
    expect(config.customHeaders).toEqual({ Authorization: 'Bearer gw-token' });
  });

  it('takes multi-line values from settings env', async () => {
    fx.write(fx.projectSettings, { env: { ANTHROPIC_CUSTOM_HEADERS: 'X-A: 1\nX-B: 2' } });
    expect((await fx.load()).config.customHeaders).toEqual({ 'X-A': '1', 'X-B': '2' });
  });
});

describe('the Config object', () => {
  it('is frozen all the way down', async () => {
    const { config } = await fx.load();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.models.main)).toBe(true);
    expect(Object.isFrozen(config.permissions.allow)).toBe(true);
  });

  it('carries verbose and debug from the flags', async () => {
    const { config } = await fx.load({}, { verbose: true, debug: true });
    expect(config.verbose).toBe(true);
    expect(config.debug).toBe(true);
  });
});
