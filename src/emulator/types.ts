/**
 * The emulator's public contract. Tests of every layer start an emulator with
 * `startEmulator(options)` (src/emulator/index.ts) and assert on `handle.requests`.
 */

export interface EmulatorCredential {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** What STS GetCallerIdentity answers for these keys (default: an IAM user named after the key). */
  arn?: string;
  /** ms since epoch on the emulator's clock; at or after it, requests fail with ExpiredTokenException. */
  expiresAt?: number;
}

/** `strict`: as Bedrock. `lenient`: also accepts a signature computed over the host without its port (peers). `off`: no auth check. */
export type EmulatorAuthMode = 'strict' | 'lenient' | 'off';

export interface EmulatorOptions {
  host?: string; // default 127.0.0.1
  port?: number; // default 0 (any free port)
  /** Region signatures are verified for when the Host header does not name one. Default us-east-1. */
  region?: string;
  credentials?: EmulatorCredential[]; // default: TEST_CREDENTIALS
  apiKeys?: string[]; // bearer keys accepted; default: [TEST_API_KEY]
  authMode?: EmulatorAuthMode;
  scenario?: Scenario;
  /** The emulator's clock (credential expiry, cache TTL). Default Date.now. */
  now?: () => number;
  /**
   * Reject SigV4 requests whose X-Amz-Date is more than 5 minutes off the emulator's clock, as
   * AWS does (403 InvalidSignatureException "Signature expired: …" / "Signature not yet current: …"),
   * and send the emulator's clock in every response's Date header. Default off (tests that move
   * the clock for cache TTLs and credential expiry would otherwise be rejected).
   */
  checkClockSkew?: boolean;
  /** Append every recorded request as one JSON line to this file. */
  recordFile?: string;
  /** Called with each request's record once its response has finished (or was cut). */
  onRequest?: (request: RecordedRequest) => void;
  /**
   * Serve HTTPS with this key and certificate (PEM) instead of plain HTTP: for tests of CA
   * trust and proxies (CONNECT tunnels), which only mean something over TLS. `url` is then https://.
   */
  tls?: { key: string; cert: string };
}

export interface RecordedRequest {
  method: string;
  /** The raw path as received (still percent-encoded). */
  rawPath: string;
  /** Decoded operation and model id, when the path is a model operation. */
  operation?: 'InvokeModel' | 'InvokeModelWithResponseStream' | 'CountTokens' | 'ListInferenceProfiles' | 'GetInferenceProfile' | 'GetGuardrail' | 'Converse' | 'GetCallerIdentity' | 'Unknown';
  modelId?: string;
  /** Lower-cased header names; Authorization, security tokens and bearer keys redacted. */
  headers: Record<string, string>;
  /** Parsed JSON body (or the raw text when not JSON). */
  body: unknown;
  auth: {
    ok: boolean;
    kind: 'sigv4' | 'bearer' | 'none';
    accessKeyId?: string;
    /** Region of the credential scope the request was signed for. */
    region?: string;
    error?: string;
  };
  /** The status the emulator answered with. */
  status: number;
  /** Cache accounting for model calls. */
  usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens: number; cache_creation_input_tokens: number };
  receivedAt: number;
  /** When the response ended or was cut (the emulator's clock): with receivedAt, how long each request was open. */
  finishedAt?: number;
}

export type ScenarioContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id?: string; name: string; input: unknown; /** send this raw string as the input JSON instead (to script invalid JSON) */ rawInput?: string }
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string };

export type ScenarioFault =
  | { kind: 'http'; status?: number; errorType: string; message?: string }
  | { kind: 'exception'; afterChunks: number; exceptionType: string; message?: string }
  | { kind: 'drop'; afterChunks: number }
  | { kind: 'corrupt'; afterChunks: number }
  | { kind: 'delay'; firstByteMs?: number; betweenChunksMs?: number }
  /** Sends this many events, then nothing more while keeping the connection open (a stalled stream, B28). */
  | { kind: 'stall'; afterChunks: number };

/** A model id or profile the emulator keeps refusing (throttled by default), without using up turns (B24). */
export interface ScenarioUnavailable {
  /** Any name of the model: the id in the path, its foundation model, its profile id or ARN. */
  modelId: string;
  /** How many requests are refused before the model answers again (default: all of them). */
  requests?: number;
  errorType?: string;
  status?: number;
  message?: string;
}

/**
 * A guardrail the emulator applies to requests that name it in `X-Amzn-Bedrock-GuardrailIdentifier`
 * (B26): input that contains one of `blockedInputWords` (case-insensitive) is blocked. With
 * `amazon-bedrock-guardrailConfig.tagSuffix` in the body and guard-content tags in the input,
 * only the tagged text is judged, as Bedrock does.
 */
export interface ScenarioGuardrail {
  id: string;
  /** Default `1`; `DRAFT` is accepted too. */
  version?: string;
  blockedInputWords: string[];
  /** The canned reply (the guardrail's blockedInputMessaging). */
  blockedInputMessaging?: string;
  /** What GetGuardrail answers: the name (default `emulator-<id>`) and status (default READY). */
  name?: string;
  status?: 'CREATING' | 'UPDATING' | 'VERSIONING' | 'READY' | 'FAILED' | 'DELETING';
}

export interface ScenarioTurn {
  /** Conditions on the incoming request; a turn whose match fails answers 400 with a message that names the mismatch. */
  match?: {
    lastToolResultContains?: string;
    lastUserTextContains?: string;
    modelId?: string;
    systemContains?: string;
  };
  reply?: {
    content: ScenarioContentBlock[];
    stop_reason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence';
    output_tokens?: number;
    /** Stream text, thinking and tool input in pieces of exactly this many characters (default: ~3 words, ~5 JSON fragments). */
    chunkChars?: number;
  };
  /** Faults; an `http` fault answers instead of the reply. */
  faults?: ScenarioFault[];
  /** How many requests this turn answers before the next turn takes over (default 1). Use with faults to fail N times then succeed. */
  times?: number;
}

export interface Scenario {
  name?: string;
  /** Model calls consume turns in order. */
  turns: ScenarioTurn[];
  /** Calls to these model ids (e.g. the small/fast model) are answered from `side` instead, so auxiliary calls do not consume main turns. */
  sideModels?: string[];
  side?: ScenarioTurn[];
  /**
   * Main-model turns that answer whenever their `match` holds, before the ordered turns and
   * without using one (nor being used up): for requests that come at a moment the script cannot
   * know, such as the summary request of an agent's automatic compaction. Each needs a `match`.
   */
  anytime?: ScenarioTurn[];
  /**
   * Requests with `max_tokens` at or below this are side calls — availability probes, token
   * counting — answered with a short echo reply (cut at their max_tokens) without using a turn.
   * Default 1; 0 makes every call take a turn. Calls to `sideModels` still go to `side`.
   */
  sideCallMaxTokens?: number;
  /** After the last turn: `repeat-last`, `echo` (a short text reply) or `error` (400, default). */
  whenExhausted?: 'repeat-last' | 'echo' | 'error';
  /** Models refused before any turn is used (a persistently throttled profile, B24). */
  unavailable?: ScenarioUnavailable[];
  /** Guardrails the emulator enforces (B26) and describes (GetGuardrail). */
  guardrails?: ScenarioGuardrail[];
  /**
   * IAM actions the caller is not allowed, e.g. `bedrock:GetGuardrail`: the control-plane
   * operation answers AccessDeniedException (403) as Bedrock does for an identity without it.
   */
  deniedActions?: string[];
}

export interface EmulatorHandle {
  url: string;
  port: number;
  region: string;
  requests: RecordedRequest[];
  setScenario(scenario: Scenario): void;
  /** Move the emulator's clock (when no `now` was given). */
  advanceClock(ms: number): void;
  addCredential(credential: EmulatorCredential): void;
  close(): Promise<void>;
}

export const TEST_CREDENTIALS: EmulatorCredential[] = [
  { accessKeyId: 'AKIAEMULATORTEST0001', secretAccessKey: 'emulator/secret/key/for/tests/only/00000001' },
];
export const TEST_API_KEY = 'ABSKZW11bGF0b3ItdGVzdC1rZXk6ZW11bGF0b3Itc2VjcmV0';
