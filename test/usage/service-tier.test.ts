/**
 * B29: the tier gate's decisions on their own (the e2e tests in usage-ledger.e2e.test.ts run them
 * through the built CLI), and the table facts they rest on.
 */
import { describe, expect, it } from 'vitest';
import { MODELS, capabilitiesOf, CONSERVATIVE } from '../../src/models/capabilities.js';
import { createTierGate } from '../../src/models/service-tier.js';

describe('service tiers in the capability table', () => {
  it('every model offers the Standard tier; no Claude model lists priority or flex (AWS lists none)', () => {
    for (const m of [...MODELS, CONSERVATIVE]) {
      expect(m.serviceTiers).toContain('default');
      expect(m.serviceTiers).not.toContain('priority');
      expect(m.serviceTiers).not.toContain('flex');
    }
    const reserved = MODELS.filter((m) => m.serviceTiers.includes('reserved')).map((m) => m.key).sort();
    expect(reserved).toEqual(['claude-haiku-4-5', 'claude-opus-4-5', 'claude-opus-4-6', 'claude-sonnet-4-5']);
  });
});

describe('the tier gate', () => {
  it('sends a tier the model offers, drops one it lacks with one note per tier and model', async () => {
    const gate = createTierGate({ force: false });
    const notes: string[] = [];
    const id = 'global.anthropic.claude-opus-4-6-v1';
    expect(await gate.decide('default', id, (t) => notes.push(t))).toBe('default');
    expect(await gate.decide('flex', id, (t) => notes.push(t))).toBeUndefined();
    expect(await gate.decide('flex', id, (t) => notes.push(t))).toBeUndefined();
    expect(await gate.decide('priority', id, (t) => notes.push(t))).toBeUndefined();
    expect(notes).toEqual([
      `bcode: service tier flex is not offered for Claude Opus 4.6 (${id}) as far as AWS documents it; sent without it (BCODE_SERVICE_TIER_FORCE=1 sends it anyway)`,
      `bcode: service tier priority is not offered for Claude Opus 4.6 (${id}) as far as AWS documents it; sent without it (BCODE_SERVICE_TIER_FORCE=1 sends it anyway)`,
    ]);
  });

  it('a call without a notice channel does not use up the note', async () => {
    const gate = createTierGate({ force: false });
    const notes: string[] = [];
    expect(await gate.decide('flex', 'us.anthropic.claude-haiku-4-5-20251001-v1:0')).toBeUndefined();
    await gate.decide('flex', 'us.anthropic.claude-haiku-4-5-20251001-v1:0', (t) => notes.push(t));
    expect(notes).toHaveLength(1);
  });

  it('an id the table does not know gets only the Standard tier, and the note says so', async () => {
    const gate = createTierGate({ force: false });
    const notes: string[] = [];
    expect(await gate.decide('priority', 'us.anthropic.claude-opus-9-9', (t) => notes.push(t))).toBeUndefined();
    expect(notes[0]).toContain("us.anthropic.claude-opus-9-9 (a model bcode's table does not know)");
  });

  it('an application profile is judged by the model it routes to (the provider resolver), and FORCE skips the check', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc';
    const sonnet = capabilitiesOf('anthropic.claude-sonnet-4-5-20250929-v1:0')!;
    const gate = createTierGate({ force: false, describe: async (id) => ({ id, caps: sonnet, known: true }) });
    const notes: string[] = [];
    expect(await gate.decide('default', arn, (t) => notes.push(t))).toBe('default');
    expect(await gate.decide('flex', arn, (t) => notes.push(t))).toBeUndefined();
    expect(notes[0]).toContain(`Claude Sonnet 4.5 (${arn})`);
    expect(await createTierGate({ force: true }).decide('flex', arn)).toBe('flex');
  });
});
