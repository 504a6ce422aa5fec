/**
 * B26/B14: `bcode doctor` checks the guardrail of ANTHROPIC_CUSTOM_HEADERS against the control
 * plane's GetGuardrail — through the built CLI, against the emulator's GetGuardrail route
 * (SigV4-verified like every route): present, missing (unknown id, unknown version) and denied.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, TEST_CREDENTIALS, type EmulatorHandle, type Scenario } from '../../src/emulator/index.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

interface JsonCheck {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  detail: string;
  fix?: string;
}

const CRED = TEST_CREDENTIALS[0];
const GUARDRAILS: Scenario['guardrails'] = [{ id: 'gr7abc', version: '2', name: 'team-policy', blockedInputWords: ['forbidden'] }];
let emulator: EmulatorHandle;
let root: string;

beforeAll(async () => {
  emulator = await startEmulator({});
  root = mkdtempSync(path.join(os.tmpdir(), 'bcode-doctor-gr-'));
  mkdirSync(path.join(root, 'home'));
  mkdirSync(path.join(root, 'project', '.git'), { recursive: true });
});

afterAll(async () => {
  await emulator?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

function env(headers?: string): Record<string, string> {
  return {
    HOME: path.join(root, 'home'),
    BCODE_MANAGED_SETTINGS_DIR: path.join(root, 'managed'),
    CLAUDE_CODE_USE_BEDROCK: '1',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: CRED.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CRED.secretAccessKey,
    ANTHROPIC_BEDROCK_BASE_URL: emulator.url,
    ...(headers ? { ANTHROPIC_CUSTOM_HEADERS: headers } : {}),
  };
}

const headers = (id: string, version: string) => `X-Amzn-Bedrock-GuardrailIdentifier: ${id}\nX-Amzn-Bedrock-GuardrailVersion: ${version}`;

async function doctor(scenario: Scenario, h: string | undefined, json = true): Promise<{ r: CliResult; check?: JsonCheck }> {
  emulator.setScenario(scenario);
  emulator.requests.length = 0;
  const r = await runCli(['doctor', ...(json ? ['--json'] : [])], { cwd: path.join(root, 'project'), env: env(h), timeoutMs: 30_000 });
  if (!json) return { r };
  const checks = (JSON.parse(r.stdout) as { checks: JsonCheck[] }).checks;
  return { r, check: checks.find((c) => c.id === 'guardrail') };
}

function getGuardrailCalls() {
  return emulator.requests.filter((q) => q.operation === 'GetGuardrail');
}

describe('bcode doctor: the guardrail against GetGuardrail', () => {
  it('present: one signed GetGuardrail for the id and version; the line says found, READY and the name', async () => {
    const { r, check } = await doctor({ turns: [], guardrails: GUARDRAILS }, headers('gr7abc', '2'));
    expect(r.code).toBe(0);
    expect(check).toEqual({ id: 'guardrail', title: 'guardrail exists', status: 'pass', detail: 'guardrail gr7abc v2: found (READY, name team-policy)' });
    const calls = getGuardrailCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'GET', rawPath: '/guardrails/gr7abc?guardrailVersion=2', status: 200, auth: { ok: true, kind: 'sigv4', accessKeyId: CRED.accessKeyId } });

    // The human report: the line, in order after the header check.
    const text = await doctor({ turns: [], guardrails: GUARDRAILS }, headers('gr7abc', '2'), false);
    expect(text.r.stdout).toMatch(/^pass {2}guardrail headers +guardrail gr7abc version 2 .*\npass {2}guardrail exists +guardrail gr7abc v2: found \(READY, name team-policy\)$/m);
  });

  it('missing: an unknown guardrail, or a version that was never published, fails with the fix (exit 1)', async () => {
    const unknown = await doctor({ turns: [], guardrails: GUARDRAILS }, headers('nosuch1', '2'));
    expect(unknown.r.code).toBe(1);
    expect(unknown.check).toMatchObject({ status: 'fail', detail: 'guardrail nosuch1 v2: not found in us-east-1; every model request naming it will be refused' });
    expect(unknown.check?.fix).toMatch(/^fix X-Amzn-Bedrock-GuardrailIdentifier \/ X-Amzn-Bedrock-GuardrailVersion in ANTHROPIC_CUSTOM_HEADERS .*aws bedrock list-guardrails --region us-east-1/);
    expect(getGuardrailCalls()[0].status).toBe(404);

    const version = await doctor({ turns: [], guardrails: GUARDRAILS }, headers('gr7abc', '9'));
    expect(version.r.code).toBe(1);
    expect(version.check).toMatchObject({ status: 'fail', detail: expect.stringMatching(/^guardrail gr7abc v9: not found/) });
  });

  it('denied: without bedrock:GetGuardrail the line warns and names the action; the run still passes (exit 0)', async () => {
    const { r, check } = await doctor({ turns: [], guardrails: GUARDRAILS, deniedActions: ['bedrock:GetGuardrail'] }, headers('gr7abc', '2'));
    expect(r.code).toBe(0);
    expect(check).toMatchObject({ status: 'warn', detail: 'guardrail gr7abc v2: not checked — no permission bedrock:GetGuardrail' });
    expect(check?.fix).toBe('allow bedrock:GetGuardrail on arn:aws:bedrock:us-east-1:<account>:guardrail/gr7abc (`bcode iam-policy` includes it) so the doctor can check it; model requests do not need it');
    expect(getGuardrailCalls()[0].status).toBe(403);
  });

  it('no guardrail headers: no GetGuardrail call and no line', async () => {
    const { r, check } = await doctor({ turns: [] }, undefined);
    expect(r.code).toBe(0);
    expect(check).toBeUndefined();
    expect(getGuardrailCalls()).toHaveLength(0);
  });

  it('bcode iam-policy lists ApplyGuardrail and GetGuardrail on the configured guardrail', async () => {
    const r = await runCli(['iam-policy'], { cwd: path.join(root, 'project'), env: env(headers('gr7abc', '2')) });
    expect(r.code).toBe(0);
    const policy = JSON.parse(r.stdout) as { Statement: Array<{ Sid: string; Action: string[]; Resource: unknown }> };
    expect(policy.Statement.find((s) => s.Sid === 'BcodeGuardrail')).toEqual({ Sid: 'BcodeGuardrail', Effect: 'Allow', Action: ['bedrock:ApplyGuardrail', 'bedrock:GetGuardrail'], Resource: 'arn:aws:bedrock:us-east-1:*:guardrail/gr7abc' });
    const none = await runCli(['iam-policy'], { cwd: path.join(root, 'project'), env: env() });
    expect(JSON.parse(none.stdout).Statement.map((s: { Sid: string }) => s.Sid)).not.toContain('BcodeGuardrail');
  });
});
