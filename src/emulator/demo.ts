/**
 * `bcode emulator --demo`: one streamed request through the official AWS SDK, signed with the
 * test credentials, printed as it arrives — proof that the emulator speaks Bedrock's protocol.
 */
import type { EmulatorHandle } from './types.js';
import { TEST_CREDENTIALS } from './types.js';

export const DEMO_MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const DEMO_PROMPT = 'Say hello to a new bcode user.';

export async function runDemoRequest(emu: EmulatorHandle, write: (text: string) => void): Promise<void> {
  // The SDK warns about Node 20 at client construction; this is its documented switch.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { BedrockRuntimeClient, InvokeModelWithResponseStreamCommand } = await import('@aws-sdk/client-bedrock-runtime');
  const { accessKeyId, secretAccessKey } = TEST_CREDENTIALS[0];
  const client = new BedrockRuntimeClient({ region: emu.region, endpoint: emu.url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
  try {
    const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 512, messages: [{ role: 'user', content: DEMO_PROMPT }] });
    const res = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: DEMO_MODEL, body, contentType: 'application/json', accept: 'application/json' }));
    for await (const item of res.body ?? []) {
      if (!item.chunk?.bytes) continue;
      const event = JSON.parse(Buffer.from(item.chunk.bytes).toString('utf8')) as { type: string; delta?: { type: string; text?: string } };
      if (event.type === 'content_block_delta' && event.delta?.type === 'text_delta') write(event.delta.text ?? '');
    }
    write('\n');
  } finally {
    client.destroy();
  }
}
