/**
 * R7: what tools hand back reaches the model with bcode's own secret values masked — through the
 * real turn loop and dispatch, for plain results, text blocks, errors and sub-agent answers —
 * and nothing else masked (documentation example keys stay as they are).
 */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ToolResultBlock } from '../../src/bedrock/anthropic.js';
import { runAgent } from '../../src/agent/loop.js';
import { taskTool } from '../../src/tools/task.js';
import type { AnyTool, ToolResult } from '../../src/tools/types.js';
import { addSecret, redact, registerEnvSecrets } from '../../src/util/redact.js';
import { redactForModel } from '../../src/util/redact-for-model.js';
import { eventsFor, FakeProvider, fakeTool, RecordingFrontEnd, runtime } from '../agent/fakes.js';

const SECRET_KEY = 'toolresult/secret/access/key/0000000000001';
const SESSION = 'toolresult-session-token-value-000000000001';
const BEARER = 'ABSKdG9vbHJlc3VsdC1iZWFyZXIta2V5LTAwMDAwMDE=';
const DOC_EXAMPLE = 'AKIAIOSFODNN7EXAMPLE';
registerEnvSecrets({ AWS_SECRET_ACCESS_KEY: SECRET_KEY, AWS_SESSION_TOKEN: SESSION, AWS_BEARER_TOKEN_BEDROCK: BEARER });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bcode-toolresults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function toolReturning(name: string, result: () => ToolResult | Promise<ToolResult>): AnyTool {
  return { ...fakeTool(name), run: async () => result() };
}

/** Runs one call of `tool` and returns what the next request told the model. */
async function toldTheModel(tool: AnyTool, extraTools: AnyTool[] = []): Promise<{ result: ToolResultBlock; requests: string }> {
  const provider = new FakeProvider([
    { events: eventsFor([{ type: 'tool_use', id: 'call', name: tool.name, input: {} }], 'tool_use') },
    { events: eventsFor([{ type: 'text', text: 'done' }]) },
  ]);
  await runAgent(runtime(provider, [tool, ...extraTools]), { prompt: 'go', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
  const last = provider.requests.at(-1)!.messages.at(-1)!;
  const result = (last.content as ToolResultBlock[]).find((b) => b.type === 'tool_result')!;
  return { result, requests: JSON.stringify(provider.requests) };
}

const environ = `PATH=/usr/bin\0AWS_SECRET_ACCESS_KEY=${SECRET_KEY}\0AWS_SESSION_TOKEN=${SESSION}\0AWS_BEARER_TOKEN_BEDROCK=${BEARER}\0`;

describe('tool results reach the model without bcode secrets', () => {
  it('a string result: the literals are masked, a documentation example key is not', async () => {
    const { result, requests } = await toldTheModel(toolReturning('Bash', () => ({ forModel: `${environ}\nfixture key: ${DOC_EXAMPLE}`, forDisplay: '' })));
    expect(result.content).toBe(`PATH=/usr/bin\0AWS_SECRET_ACCESS_KEY=[REDACTED]\0AWS_SESSION_TOKEN=[REDACTED]\0AWS_BEARER_TOKEN_BEDROCK=[REDACTED]\0\nfixture key: ${DOC_EXAMPLE}`);
    for (const s of [SECRET_KEY, SESSION, BEARER]) expect(requests).not.toContain(s);
  });

  it('text blocks are masked; image blocks pass as they are', async () => {
    const image = { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'iVBORw0KGgo=' } };
    const { result } = await toldTheModel(toolReturning('Read', () => ({ forModel: [{ type: 'text', text: `[default]\naws_secret_access_key = ${SECRET_KEY}\n` }, image], forDisplay: '' })));
    expect(result.content).toEqual([{ type: 'text', text: '[default]\naws_secret_access_key = [REDACTED]\n' }, image]);
  });

  it('an error result (a tool that throws with a secret in its message) is masked', async () => {
    const { result } = await toldTheModel(
      toolReturning('Bash', () => {
        throw new Error(`curl failed: Authorization: Bearer ${BEARER}`);
      }),
    );
    expect(result.is_error).toBe(true);
    expect(result.content).toBe('Error: curl failed: Authorization: Bearer [REDACTED]');
  });

  it("a sub-agent's tool results and its answer are masked (Task)", async () => {
    const probe = toolReturning('Probe', () => ({ forModel: `found ${SESSION}`, forDisplay: '' }));
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'tool_use', id: 'task', name: 'Task', input: { description: 'look', prompt: 'find the token' } }], 'tool_use') },
      // The sub-agent: calls Probe, then answers with what it saw (as a model might, from memory).
      { events: eventsFor([{ type: 'tool_use', id: 'probe', name: 'Probe', input: {} }], 'tool_use') },
      { events: eventsFor([{ type: 'text', text: `the token is ${SESSION}` }]) },
      { events: eventsFor([{ type: 'text', text: 'ok' }]) },
    ]);
    await runAgent(runtime(provider, [taskTool as AnyTool, probe]), { prompt: 'go', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    const subSaw = provider.requests[2].messages.at(-1)!.content as ToolResultBlock[];
    expect(subSaw[0].content).toBe('found [REDACTED]');
    const parentSaw = provider.requests[3].messages.at(-1)!.content as ToolResultBlock[];
    expect(parentSaw[0].content).toBe('the token is [REDACTED]');
  });

  it('a refusal (here: an unknown tool) is masked too', async () => {
    const provider = new FakeProvider([
      { events: eventsFor([{ type: 'tool_use', id: 'call', name: `Fetch_${SESSION}`, input: {} }], 'tool_use') },
      { events: eventsFor([{ type: 'text', text: 'done' }]) },
    ]);
    await runAgent(runtime(provider, [fakeTool('Echo')]), { prompt: 'go', sessionId: 's', signal: new AbortController().signal, frontEnd: new RecordingFrontEnd() });
    const result = (provider.requests[1].messages.at(-1)!.content as ToolResultBlock[])[0];
    expect(result.is_error).toBe(true);
    expect(result.content).toContain('no tool named "Fetch_[REDACTED]"');
  });

  it('a secret cut by truncation, or at the edge of a chunk of output, is masked in part too', () => {
    const out = `${'x'.repeat(50)} ${SECRET_KEY.slice(0, 20)}\n\n[… 1234 bytes omitted …]\n\n${SECRET_KEY.slice(25)} tail`;
    expect(redactForModel(out)).toBe(`${'x'.repeat(50)} [REDACTED]\n\n[… 1234 bytes omitted …]\n\n[REDACTED] tail`);
    // BashOutput hands over what a background command printed so far: a value may be cut there.
    expect(redactForModel(`partial: ${SESSION.slice(0, 12)}`)).toBe('partial: [REDACTED]');
    expect(redactForModel(`${SESSION.slice(12)} and on`)).toBe('[REDACTED] and on');
    // Fragments shorter than 8 characters are left: too little to matter, too likely to be text.
    expect(redactForModel(`ends with ${SECRET_KEY.slice(0, 7)}`)).toBe(`ends with ${SECRET_KEY.slice(0, 7)}`);
  });

  it('token files named in the environment are read when a result is redacted, and again when rotated', () => {
    const webToken = path.join(tmp, 'web-identity-token');
    const podToken = path.join(tmp, 'eks-pod-identity-token');
    writeFileSync(webToken, 'eyJhbGciOiJSUzI1NiJ9.web-identity-token-one.c2lnbmF0dXJl\n');
    writeFileSync(podToken, 'pod-identity-authorization-token-00000001');
    registerEnvSecrets({ AWS_WEB_IDENTITY_TOKEN_FILE: webToken, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: podToken });
    // Registration reads nothing (start-up stays free of I/O)...
    expect(redact('pod-identity-authorization-token-00000001')).toBe('pod-identity-authorization-token-00000001');
    // ...the first tool result does.
    expect(redactForModel('cat: eyJhbGciOiJSUzI1NiJ9.web-identity-token-one.c2lnbmF0dXJl / pod-identity-authorization-token-00000001')).toBe('cat: [REDACTED] / [REDACTED]');
    // Kubernetes rewrites projected tokens in place; the new value is masked, and so is the old one.
    writeFileSync(webToken, 'eyJhbGciOiJSUzI1NiJ9.web-identity-token-two-rotated.c2ln\n');
    utimesSync(webToken, new Date(), new Date(Date.now() + 5000));
    expect(redactForModel('eyJhbGciOiJSUzI1NiJ9.web-identity-token-two-rotated.c2ln eyJhbGciOiJSUzI1NiJ9.web-identity-token-one.c2lnbmF0dXJl')).toBe('[REDACTED] [REDACTED]');
    // And everywhere else output is redacted.
    expect(redact('pod-identity-authorization-token-00000001')).toBe('[REDACTED]');
  });

  it('only exact values are masked for the model (a transformed secret is not recognised)', () => {
    addSecret('exact-value-secret-000000001');
    expect(redactForModel('exact-value-secret-000000001')).toBe('[REDACTED]');
    const b64 = Buffer.from('exact-value-secret-000000001').toString('base64');
    expect(redactForModel(b64)).toBe(b64);
  });
});
