/**
 * The emulator's request handling: authenticate, route, validate, answer from the scenario
 * (with its faults), account tokens and cache, record.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { StopReason, Usage } from '../bedrock/anthropic.js';
import { analysePrompt, countCacheMarkers, inputTokenEstimate, type PromptCache } from './accounting.js';
import { authenticate, type AuthOutcome } from './auth.js';
import { type AwsErrorReply, awsError, INVALID_MODEL_MESSAGE } from './aws-errors.js';
import { EMULATOR_ACCOUNT, findProfile, type FoundationModel, type InferenceProfile, onDemandMessage, resolveModel } from './catalog.js';
import { chunkFrame, corruptFrame, exceptionFrame } from './frames.js';
import { dropConnection, flatHeaders, isGone, readBody, sendAwsError, sendJson, sleep, writeAndDrain } from './http-util.js';
import { Recorder, redactHeaders } from './recorder.js';
import { limitPlan, makeId, planReply, type ReplyPlan, streamEvents, wholeMessage } from './reply-events.js';
import { DEFAULT_BLOCKED_MESSAGING, interventionFields, judge } from './guardrail.js';
import { getGuardrail } from './get-guardrail.js';
import { echoReply, ScenarioPlayer } from './scenario.js';
import type { EmulatorAuthMode, EmulatorCredential, RecordedRequest, ScenarioFault, ScenarioTurn } from './types.js';
import { parseBody, validateMessagesBody } from './validate.js';

export type Req = IncomingMessage | Http2ServerRequest;
export type Res = ServerResponse | Http2ServerResponse;
type Json = Record<string, unknown>;
type Operation = NonNullable<RecordedRequest['operation']>;

export interface ServerState {
  region: string;
  authMode: EmulatorAuthMode;
  credentials: Map<string, EmulatorCredential>;
  apiKeys: Set<string>;
  now: () => number;
  checkClockSkew: boolean;
  player: ScenarioPlayer;
  cache: PromptCache;
  recorder: Recorder;
  profiles: InferenceProfile[];
  counter: number;
  /** Fires when the emulator closes: scripted delays end at once. */
  closing: AbortSignal;
}

const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** ServiceTierType in the Bedrock Runtime model. */
const SERVICE_TIERS = ['default', 'flex', 'priority', 'reserved'];

/**
 * A valid tier the model is not offered on (capabilities.ts `serviceTiers`, the same facts bcode
 * sends by). `reserved` without a reservation answers "Reservation not found." — what Bedrock was
 * publicly seen to say (envoyproxy/ai-gateway#1749, NousResearch/hermes-agent#34476); the emulator
 * holds no reservations. For priority/flex on a model without them AWS documents no message: the
 * wording below is our guess, kept a ValidationException (400) as Bedrock's docs and SDKs say it is.
 */
function tierRefusal(tier: string, offered: readonly string[]): AwsErrorReply | undefined {
  if (tier === 'reserved') return awsError('ValidationException', 'Reservation not found.');
  if (offered.includes(tier)) return undefined;
  return awsError('ValidationException', `The provided service tier '${tier}' is not supported for this model.`);
}

const MODEL_OPS: Record<string, Operation> = {
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  'count-tokens': 'CountTokens',
  converse: 'Converse',
  'converse-stream': 'Converse',
};

interface Route {
  operation: Operation;
  modelId?: string;
  profileId?: string;
  /** Set when the path names a model operation but its label is malformed. */
  badModelPath?: boolean;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function route(method: string, rawUrl: string): Route {
  const path = rawUrl.split('?')[0];
  const segs = path.split('/');
  if (method === 'POST' && segs[1] === 'model' && segs.length >= 4) {
    const op = MODEL_OPS[segs[segs.length - 1]];
    if (op) {
      // An ARN whose '/' was not encoded splits the label: Bedrock cannot read the model id.
      if (segs.length !== 4) return { operation: op, modelId: safeDecode(segs.slice(2, -1).join('/')), badModelPath: true };
      return { operation: op, modelId: safeDecode(segs[2]) };
    }
  }
  if (method === 'GET' && path === '/inference-profiles') return { operation: 'ListInferenceProfiles' };
  // STS (AWS Query protocol): the caller identity bcode attributes usage to (B21, B25).
  if (method === 'POST' && (path === '/' || path === '')) return { operation: 'GetCallerIdentity' };
  if (method === 'GET' && segs[1] === 'inference-profiles' && segs.length === 3) return { operation: 'GetInferenceProfile', profileId: safeDecode(segs[2]) };
  if (method === 'GET' && segs[1] === 'guardrails' && segs.length === 3) return { operation: 'GetGuardrail', profileId: safeDecode(segs[2]) };
  return { operation: 'Unknown' };
}

interface Exchange {
  req: Req;
  res: Res;
  requestId: string;
  entry: RecordedRequest;
  receivedAt: number;
  startedAt: number;
  /** Headers every answer to this request carries (the served service tier). */
  replyHeaders: Record<string, string>;
}

export async function handle(state: ServerState, req: Req, res: Res): Promise<void> {
  const receivedAt = state.now();
  // The server's clock, which is what a client corrects its clock skew from.
  if (state.checkClockSkew) res.setHeader('date', new Date(receivedAt).toUTCString());
  const rawUrl = req.url ?? '/';
  const headers = flatHeaders(req);
  const body = await readBody(req);
  const r = route(req.method ?? 'GET', rawUrl);
  let parsedBody: unknown = body.toString('utf8');
  try {
    parsedBody = body.length ? JSON.parse(parsedBody as string) : undefined;
  } catch {
    // Recorded as raw text: tests assert on what was actually sent.
  }
  const entry: RecordedRequest = {
    method: req.method ?? 'GET',
    rawPath: rawUrl,
    operation: r.operation,
    modelId: r.modelId,
    headers: redactHeaders(headers),
    body: parsedBody,
    auth: { ok: false, kind: 'none' },
    status: 0,
    receivedAt,
  };
  const ex: Exchange = { req, res, requestId: randomUUID(), entry, receivedAt, startedAt: performance.now(), replyHeaders: {} };
  res.on('close', () => {
    entry.finishedAt = state.now();
    if (entry.status === 0 && res.headersSent) entry.status = res.statusCode;
    state.recorder.finish(entry);
  });
  state.recorder.add(entry);

  const auth: AuthOutcome = await authenticate(
    { method: req.method ?? 'GET', rawUrl, headers: { ...flatHeaders(req, true), host: headers.host }, body },
    { mode: state.authMode, region: state.region, credentials: state.credentials, apiKeys: state.apiKeys, now: receivedAt, maxSkewMs: state.checkClockSkew ? MAX_CLOCK_SKEW_MS : undefined, service: r.operation === 'GetCallerIdentity' ? 'sts' : undefined },
  );
  const { reply: authReply, ...authRecord } = auth;
  entry.auth = authRecord;
  if (authReply) return fail(ex, authReply);

  switch (r.operation) {
    case 'ListInferenceProfiles':
      return listProfiles(state, ex, rawUrl);
    case 'GetCallerIdentity':
      return callerIdentity(state, ex, body, authRecord.accessKeyId);
    case 'GetInferenceProfile': {
      const p = findProfile(state.profiles, r.profileId ?? '');
      if (!p) return fail(ex, awsError('ResourceNotFoundException', `Inference profile ${r.profileId} not found.`));
      return ok(ex, publicProfile(p));
    }
    case 'GetGuardrail': {
      const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
      const out = getGuardrail({ identifier: r.profileId ?? '', query, region: state.region, caller: callerArn(state, authRecord.accessKeyId), find: (id) => state.player.guardrail(id), denied: (a) => state.player.denies(a) });
      return 'body' in out ? ok(ex, out.body) : fail(ex, out);
    }
    case 'Unknown':
      return fail(ex, { status: 404, errorType: 'UnknownOperationException', namespace: 'http://internal.amazon.com/coral/com.amazon.coral.service/', message: 'Unknown operation' });
    case 'Converse':
      return fail(ex, awsError('ValidationException', 'The emulator implements InvokeModel and InvokeModelWithResponseStream only (bcode does not use Converse).'));
    default:
      return modelCall(state, ex, r, body);
  }
}

/** STS GetCallerIdentity, answered in the AWS Query protocol's XML as STS does. */
function callerIdentity(state: ServerState, ex: Exchange, body: Buffer, accessKeyId: string | undefined): void {
  const form = new URLSearchParams(body.toString('utf8'));
  if (form.get('Action') !== 'GetCallerIdentity') {
    return fail(ex, { status: 400, errorType: 'InvalidAction', namespace: 'http://internal.amazon.com/coral/com.amazon.coral.service/', message: `Could not find operation ${form.get('Action') ?? '(none)'} for version ${form.get('Version') ?? '(none)'}` });
  }
  const arn = callerArn(state, accessKeyId);
  const xml = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>${arn}</Arn><UserId>AIDAEMULATOR${(accessKeyId ?? 'X').slice(-4)}</UserId><Account>${arn.split(':')[4] ?? EMULATOR_ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${ex.requestId}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
  ex.entry.status = 200;
  ex.res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': ex.requestId });
  ex.res.end(xml);
}

/** Who signed the request, as STS would name them. */
function callerArn(state: ServerState, accessKeyId: string | undefined): string {
  const cred = accessKeyId ? state.credentials.get(accessKeyId) : undefined;
  return cred?.arn ?? `arn:aws:iam::${EMULATOR_ACCOUNT}:user/${accessKeyId ? `emulator-${accessKeyId.slice(-4).toLowerCase()}` : 'anonymous'}`;
}

function fail(ex: Exchange, e: AwsErrorReply): void {
  ex.entry.status = e.status;
  sendAwsError(ex.res, e, ex.requestId);
}

function ok(ex: Exchange, body: unknown, extra: Record<string, string> = {}): void {
  ex.entry.status = 200;
  sendJson(ex.res, 200, body, ex.requestId, extra);
}

function publicProfile(p: InferenceProfile): Json {
  const { foundationModelId: _f, ...rest } = p;
  return rest;
}

function listProfiles(state: ServerState, ex: Exchange, rawUrl: string): void {
  const q = new URLSearchParams(rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '');
  const type = q.get('type');
  if (type !== null && type !== 'SYSTEM_DEFINED' && type !== 'APPLICATION') {
    return fail(ex, awsError('ValidationException', `1 validation error detected: Value '${type}' at 'typeEquals' failed to satisfy constraint: Member must satisfy enum value set: [SYSTEM_DEFINED, APPLICATION]`));
  }
  const maxRaw = q.get('maxResults');
  const max = maxRaw === null ? 1000 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1 || max > 1000) {
    return fail(ex, awsError('ValidationException', `1 validation error detected: Value '${maxRaw}' at 'maxResults' failed to satisfy constraint: Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`));
  }
  let start = 0;
  const token = q.get('nextToken');
  if (token !== null) {
    const m = /^emu-page-(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (!m) return fail(ex, awsError('ValidationException', 'The provided nextToken is not valid.'));
    start = Number(m[1]);
  }
  const all = state.profiles.filter((p) => (type ? p.type === type : true));
  const page = all.slice(start, start + max);
  const next = start + max < all.length ? Buffer.from(`emu-page-${start + max}`).toString('base64') : undefined;
  ok(ex, { inferenceProfileSummaries: page.map(publicProfile), ...(next ? { nextToken: next } : {}) });
}

function resolveFor(state: ServerState, modelId: string): { model: FoundationModel; ids: string[] } | AwsErrorReply {
  const res = resolveModel(state.profiles, modelId);
  if (!res.ok) return res.reason === 'on-demand' ? awsError('ValidationException', onDemandMessage(modelId)) : awsError('ValidationException', INVALID_MODEL_MESSAGE);
  const ids = [modelId, res.model.id];
  if (res.profile) ids.push(res.profile.inferenceProfileId, res.profile.inferenceProfileArn);
  return { model: res.model, ids };
}

async function modelCall(state: ServerState, ex: Exchange, r: Route, raw: Buffer): Promise<void> {
  if (r.badModelPath || !r.modelId) return fail(ex, awsError('ValidationException', INVALID_MODEL_MESSAGE));
  const resolved = resolveFor(state, r.modelId);
  if ('status' in resolved) return fail(ex, resolved);
  const { model, ids } = resolved;

  const parsed = parseBody(raw);
  if (!parsed.ok) return fail(ex, parsed.reply);
  const body = parsed.body;

  if (r.operation === 'CountTokens') {
    const inner = (body.input as Json | undefined)?.invokeModel as Json | undefined;
    if (typeof inner?.body !== 'string') return fail(ex, awsError('ValidationException', 'input.invokeModel.body is required for this model.'));
    const innerParsed = parseBody(Buffer.from(inner.body, 'base64'));
    if (!innerParsed.ok) return fail(ex, innerParsed.reply);
    const problem = validateMessagesBody(innerParsed.body, model);
    if (problem) return fail(ex, problem);
    return ok(ex, { inputTokens: inputTokenEstimate(innerParsed.body) });
  }

  const problem = validateMessagesBody(body, model);
  if (problem) return fail(ex, problem);
  // B29: Bedrock's service tiers; the answer names the tier that served the request.
  const tier = ex.entry.headers['x-amzn-bedrock-service-tier'];
  if (tier !== undefined) {
    if (!SERVICE_TIERS.includes(tier)) return fail(ex, awsError('ValidationException', `1 validation error detected: Value '${tier}' at 'serviceTier' failed to satisfy constraint: Member must satisfy enum value set: [${SERVICE_TIERS.join(', ')}]`));
    const refusal = tierRefusal(tier, model.caps.serviceTiers);
    if (refusal) return fail(ex, refusal);
    ex.replyHeaders['x-amzn-bedrock-service-tier'] = tier;
  }

  // A model kept unavailable (throttled) answers before any turn is used (B24).
  const refusal = state.player.unavailable(ids);
  if (refusal) return fail(ex, awsError(refusal.errorType ?? 'ThrottlingException', refusal.message ?? 'Too many requests, please wait before trying again.', refusal.status));
  // A guardrail named in the headers judges the input first; a blocked input uses no turn (B26).
  const guardrailId = ex.entry.headers['x-amzn-bedrock-guardrailidentifier'];
  let guarded: { turn: ScenarioTurn; extra: Json } | undefined;
  // Guardrails are enforced only by scenarios that define some (others just record the headers).
  if (guardrailId !== undefined && state.player.enforcesGuardrails()) {
    const g = state.player.guardrail(guardrailId);
    const version = ex.entry.headers['x-amzn-bedrock-guardrailversion'];
    if (!g || version === undefined || (version !== (g.version ?? '1') && version !== 'DRAFT')) {
      return fail(ex, awsError('ValidationException', 'The guardrail identifier or version provided in the request does not exist.'));
    }
    const verdict = judge(body, g);
    if (verdict) {
      guarded = {
        turn: { reply: { content: [{ type: 'text', text: g.blockedInputMessaging ?? DEFAULT_BLOCKED_MESSAGING }], stop_reason: 'guardrail_intervened' as 'end_turn' } },
        extra: interventionFields(g, verdict, ex.entry.headers['x-amzn-bedrock-trace']),
      };
    }
  }

  const pick = guarded ? ({ kind: 'turn', turn: guarded.turn, label: 'guardrail' } as const) : state.player.next(ids, body);
  if (pick.kind === 'mismatch' || pick.kind === 'exhausted') return fail(ex, awsError('ValidationException', pick.message));
  const turn: ScenarioTurn = pick.kind === 'turn' ? pick.turn : { reply: { content: echoReply(body) } };
  const faults = turn.faults ?? [];
  const httpFault = faults.find((f) => f.kind === 'http');
  const delay = faults.find((f): f is Extract<ScenarioFault, { kind: 'delay' }> => f.kind === 'delay');
  if (delay?.firstByteMs) await sleep(delay.firstByteMs, state.closing);
  if (state.closing.aborted) return dropConnection(ex.res);
  if (httpFault && httpFault.kind === 'http') return fail(ex, awsError(httpFault.errorType, httpFault.message, httpFault.status));
  if (!turn.reply) return fail(ex, awsError('ValidationException', `emulator scenario ${pick.kind === 'turn' ? pick.label : ''} has neither a reply nor an http fault`));

  const blocks = analysePrompt(body);
  const cacheUsage = state.cache.account(`${state.region}|${model.id}`, blocks, model.minCacheTokens, state.now());
  const n = ++state.counter;
  let toolN = 0;
  const plan = limitPlan(
    planReply(turn.reply.content, turn.reply.stop_reason as StopReason | undefined, turn.reply.output_tokens, () => makeId('toolu', n * 100 + ++toolN), turn.reply.chunkChars),
    Number(body.max_tokens),
  );
  const usage: Usage = { ...cacheUsage, output_tokens: plan.outputTokens };
  ex.entry.usage = { input_tokens: usage.input_tokens, output_tokens: plan.outputTokens, cache_read_input_tokens: cacheUsage.cache_read_input_tokens, cache_creation_input_tokens: cacheUsage.cache_creation_input_tokens };
  const withCache = countCacheMarkers(body) > 0;

  if (r.operation === 'InvokeModel') return invokeReply(ex, plan, model, usage, faults, n, withCache, guarded?.extra);
  return streamReply(ex, plan, model, usage, faults, delay?.betweenChunksMs ?? 0, n, withCache, state.closing, guarded?.extra);
}

function metrics(ex: Exchange, usage: Usage, output: number, firstByteMs: number, withCache: boolean): Json {
  const m: Json = {
    inputTokenCount: usage.input_tokens,
    outputTokenCount: output,
    invocationLatency: Math.round(performance.now() - ex.startedAt),
    firstByteLatency: Math.round(firstByteMs),
  };
  if (withCache) {
    m.cacheReadInputTokenCount = usage.cache_read_input_tokens ?? 0;
    m.cacheWriteInputTokenCount = usage.cache_creation_input_tokens ?? 0;
  }
  return m;
}

function invokeReply(ex: Exchange, plan: ReplyPlan, model: FoundationModel, usage: Usage, faults: ScenarioFault[], n: number, withCache: boolean, intervention?: Json): void {
  const exception = faults.find((f) => f.kind === 'exception');
  if (exception?.kind === 'exception') return fail(ex, awsError(exception.exceptionType, exception.message));
  if (faults.some((f) => f.kind === 'drop')) {
    ex.entry.status = 0;
    dropConnection(ex.res);
    return;
  }
  const message = { ...wholeMessage(plan, makeId('msg', n), model.anthropicName, usage), ...intervention };
  if (faults.some((f) => f.kind === 'corrupt')) {
    ex.entry.status = 200;
    ex.res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': ex.requestId });
    ex.res.end(JSON.stringify(message).slice(0, 40));
    return;
  }
  const m = metrics(ex, usage, plan.outputTokens, performance.now() - ex.startedAt, withCache);
  const extra: Record<string, string> = {
    ...ex.replyHeaders,
    'x-amzn-bedrock-input-token-count': String(usage.input_tokens),
    'x-amzn-bedrock-output-token-count': String(plan.outputTokens),
    'x-amzn-bedrock-invocation-latency': String(m.invocationLatency),
  };
  if (withCache) {
    extra['x-amzn-bedrock-cache-read-input-token-count'] = String(usage.cache_read_input_tokens ?? 0);
    extra['x-amzn-bedrock-cache-write-input-token-count'] = String(usage.cache_creation_input_tokens ?? 0);
  }
  ok(ex, message, extra);
}

async function streamReply(ex: Exchange, plan: ReplyPlan, model: FoundationModel, usage: Usage, faults: ScenarioFault[], gapMs: number, n: number, withCache: boolean, closing: AbortSignal, intervention?: Json): Promise<void> {
  const { res } = ex;
  ex.entry.status = 200;
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-bedrock-content-type': 'application/json',
    'x-amzn-requestid': ex.requestId,
    ...ex.replyHeaders,
  });
  const firstByte = performance.now() - ex.startedAt;
  const events: unknown[] = streamEvents(plan, makeId('msg', n), model.anthropicName, usage);
  events.push({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': undefined });
  const last = events.length - 1;
  for (let i = 0; i < events.length; i++) {
    const fault = faults.find((f) => f.kind !== 'http' && f.kind !== 'delay' && f.afterChunks === i);
    if (fault?.kind === 'drop') {
      // The connection dies part-way through the next frame, as a broken network leaves it.
      const next = chunkFrame(events[i], i);
      await writeAndDrain(res, next.subarray(0, Math.floor(next.length / 2)));
      dropConnection(res);
      return;
    }
    if (fault?.kind === 'exception') {
      const type = fault.exceptionType.charAt(0).toUpperCase() + fault.exceptionType.slice(1);
      const e = awsError(type, fault.message);
      const extra = e.errorType === 'ModelStreamErrorException' ? { originalStatusCode: 500, originalMessage: e.message } : {};
      await writeAndDrain(res, exceptionFrame(e.errorType, e.message, extra));
      res.end();
      return;
    }
    if (i > 0 && gapMs > 0) await sleep(gapMs, closing);
    if (closing.aborted) return dropConnection(res);
    if (fault?.kind === 'stall') {
      // B28: the stream goes silent with the connection open, until the client gives up.
      await new Promise<void>((resolve) => {
        if (closing.aborted || isGone(res)) return resolve();
        res.once('close', () => resolve());
        closing.addEventListener('abort', () => resolve(), { once: true });
      });
      if (!isGone(res)) dropConnection(res);
      return;
    }
    const event = i === last ? { type: 'message_stop', 'amazon-bedrock-invocationMetrics': metrics(ex, usage, plan.outputTokens, firstByte, withCache), ...intervention } : events[i];
    const frame = chunkFrame(event, i);
    if (fault?.kind === 'corrupt') {
      await writeAndDrain(res, corruptFrame(frame));
      res.end();
      return;
    }
    await writeAndDrain(res, frame);
    if (isGone(res)) return;
  }
  res.end();
}
