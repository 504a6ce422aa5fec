/** Official AWS SDK clients pointed at an emulator, as bcode and users configure them. */
import { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand, type ResponseStream } from '@aws-sdk/client-bedrock-runtime';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { TEST_CREDENTIALS, type EmulatorHandle } from '../../src/emulator/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

export const creds = { accessKeyId: TEST_CREDENTIALS[0].accessKeyId, secretAccessKey: TEST_CREDENTIALS[0].secretAccessKey };
export const SONNET = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- decoded events are free-form JSON; each test checks the fields it needs
export type Ev = Record<string, any>;

export function runtimeClient(emu: Pick<EmulatorHandle, 'url' | 'region'>, over: Record<string, unknown> = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({ region: emu.region, endpoint: emu.url, credentials: creds, maxAttempts: 1, ...over });
}

export function controlClient(emu: Pick<EmulatorHandle, 'url' | 'region'>, over: Record<string, unknown> = {}): BedrockClient {
  return new BedrockClient({ region: emu.region, endpoint: emu.url, credentials: creds, maxAttempts: 1, ...over });
}

export function messagesBody(text: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 1024, messages: [{ role: 'user', content: text }], ...extra });
}

/** Streams one request and returns the decoded Anthropic events. */
export async function streamEvents(client: BedrockRuntimeClient, modelId: string, body: string): Promise<Ev[]> {
  const res = await client.send(new InvokeModelWithResponseStreamCommand({ modelId, body, contentType: 'application/json', accept: 'application/json' }));
  const events: Ev[] = [];
  for await (const item of res.body as AsyncIterable<ResponseStream>) {
    if (item.chunk?.bytes) events.push(JSON.parse(Buffer.from(item.chunk.bytes).toString('utf8')));
  }
  return events;
}

export function textOf(events: Ev[]): string {
  return events
    .filter((e) => e.type === 'content_block_delta' && e.delta.type === 'text_delta')
    .map((e) => e.delta.text)
    .join('');
}

export function findEvent(events: Ev[], pred: (e: Ev) => boolean): Ev {
  const found = events.find(pred);
  if (!found) throw new Error(`no matching event among ${events.map((e) => e.type).join(', ')}`);
  return found;
}
