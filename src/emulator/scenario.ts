/**
 * Scenario playback: model calls take turns in order (side models from their own list), each
 * turn answering `times` requests, optionally checked against the incoming request first;
 * `anytime` turns answer any main call they match, out of order.
 */
import type { Scenario, ScenarioContentBlock, ScenarioGuardrail, ScenarioTurn, ScenarioUnavailable } from './types.js';

type Json = Record<string, unknown>;

export type TurnPick =
  | { kind: 'turn'; turn: ScenarioTurn; label: string }
  | { kind: 'echo' }
  | { kind: 'mismatch'; message: string }
  | { kind: 'exhausted'; message: string };

interface Track {
  index: number;
  used: number;
}

export class ScenarioPlayer {
  private scenario: Scenario | undefined;
  private main: Track = { index: 0, used: 0 };
  private side: Track = { index: 0, used: 0 };

  constructor(scenario?: Scenario) {
    this.set(scenario);
  }

  /** Requests refused so far, per entry of `scenario.unavailable`. */
  private refused = new Map<number, number>();

  /** The refusal for a call to a model the scenario keeps unavailable (counted), if any. */
  unavailable(modelIds: string[]): ScenarioUnavailable | undefined {
    const list = this.scenario?.unavailable ?? [];
    for (let i = 0; i < list.length; i++) {
      const u = list[i];
      if (!modelIds.includes(u.modelId)) continue;
      const n = this.refused.get(i) ?? 0;
      if (u.requests !== undefined && n >= u.requests) continue;
      this.refused.set(i, n + 1);
      return u;
    }
    return undefined;
  }

  /** Whether the scenario denies this IAM action (`bedrock:GetGuardrail`). */
  denies(action: string): boolean {
    return (this.scenario?.deniedActions ?? []).includes(action);
  }

  enforcesGuardrails(): boolean {
    return (this.scenario?.guardrails ?? []).length > 0;
  }

  /** The scenario's guardrail with this id (or ARN ending in it). */
  guardrail(identifier: string | undefined): ScenarioGuardrail | undefined {
    if (!identifier) return undefined;
    return (this.scenario?.guardrails ?? []).find((g) => identifier === g.id || identifier.endsWith(`/${g.id}`));
  }

  set(scenario: Scenario | undefined): void {
    this.scenario = scenario;
    this.refused = new Map();
    this.main = { index: 0, used: 0 };
    this.side = { index: 0, used: 0 };
  }

  /** Picks (and consumes) the turn for a model call. `modelIds` are every name the model goes by. */
  next(modelIds: string[], body: Json): TurnPick {
    const sc = this.scenario;
    if (!sc) return { kind: 'echo' };
    const isSide = (sc.sideModels ?? []).some((m) => modelIds.includes(m));
    // A probe (`max_tokens: 1`) is answered, but is not what the script is about.
    if (!isSide && typeof body.max_tokens === 'number' && body.max_tokens <= (sc.sideCallMaxTokens ?? 1)) return { kind: 'echo' };
    if (!isSide) {
      const i = (sc.anytime ?? []).findIndex((t) => t.match !== undefined && matchTurn(t, modelIds, body) === undefined);
      if (i >= 0) return { kind: 'turn', turn: sc.anytime![i], label: `anytime turn ${i + 1}` };
    }
    const turns = isSide ? (sc.side ?? []) : sc.turns;
    const track = isSide ? this.side : this.main;
    const which = isSide ? 'side' : 'turn';
    const name = sc.name ? `scenario '${sc.name}'` : 'scenario';

    let turn = turns[track.index];
    let label = `${which} ${track.index + 1}`;
    if (!turn) {
      const mode = sc.whenExhausted ?? 'error';
      if (mode === 'echo') return { kind: 'echo' };
      if (mode === 'repeat-last' && turns.length > 0) {
        turn = turns[turns.length - 1];
        label = `${which} ${turns.length} (repeated)`;
      } else {
        return { kind: 'exhausted', message: `emulator ${name} has no ${which} left: all ${turns.length} scripted ${which}s were used` };
      }
    } else {
      const mismatch = matchTurn(turn, modelIds, body);
      if (mismatch) return { kind: 'mismatch', message: `emulator ${name} ${label}: ${mismatch}` };
      track.used += 1;
      if (track.used >= Math.max(1, turn.times ?? 1)) {
        track.index += 1;
        track.used = 0;
      }
    }
    return { kind: 'turn', turn, label };
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((b: Json) => (b?.type === 'text' ? String(b.text ?? '') : b?.type === 'tool_result' ? textOf(b.content) : ''))
      .join('\n');
  }
  return '';
}

export function lastUserText(body: Json): string {
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      const texts = (m.content as Json[]).filter((b) => b?.type === 'text').map((b) => String(b.text ?? ''));
      if (texts.length) return texts.join('\n');
    }
  }
  return '';
}

function lastToolResultText(body: Json): string | undefined {
  const messages = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const content = messages[i]?.content;
    if (!Array.isArray(content)) continue;
    const results = (content as Json[]).filter((b) => b?.type === 'tool_result');
    if (results.length) return results.map((r) => textOf(r.content)).join('\n');
  }
  return undefined;
}

function matchTurn(turn: ScenarioTurn, modelIds: string[], body: Json): string | undefined {
  const m = turn.match;
  if (!m) return undefined;
  if (m.modelId !== undefined && !modelIds.includes(m.modelId)) return `expected model '${m.modelId}', got '${modelIds[0]}'`;
  if (m.lastUserTextContains !== undefined && !lastUserText(body).includes(m.lastUserTextContains)) {
    return `expected the last user text to contain ${JSON.stringify(m.lastUserTextContains)}, got ${JSON.stringify(lastUserText(body).slice(0, 200))}`;
  }
  if (m.lastToolResultContains !== undefined) {
    const r = lastToolResultText(body);
    if (r === undefined) return `expected a tool_result containing ${JSON.stringify(m.lastToolResultContains)}, but the request has no tool_result`;
    if (!r.includes(m.lastToolResultContains)) return `expected the last tool_result to contain ${JSON.stringify(m.lastToolResultContains)}, got ${JSON.stringify(r.slice(0, 200))}`;
  }
  if (m.systemContains !== undefined) {
    const system = typeof body.system === 'string' ? body.system : textOf(body.system);
    if (!system.includes(m.systemContains)) return `expected the system prompt to contain ${JSON.stringify(m.systemContains)}`;
  }
  return undefined;
}

/** The reply used when no scenario is loaded (or it says `echo`): short and deterministic. */
export function echoReply(body: Json): ScenarioContentBlock[] {
  const said = lastUserText(body).trim().replace(/\s+/g, ' ');
  const quote = said.length > 80 ? `${said.slice(0, 77)}...` : said;
  return [{ type: 'text', text: quote ? `Hello from the bcode Bedrock emulator. You said: "${quote}"` : 'Hello from the bcode Bedrock emulator.' }];
}
