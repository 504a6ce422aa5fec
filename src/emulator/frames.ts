/** Event-stream frames as Bedrock writes them, encoded with the same codec the SDK decodes with. */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const PADDING = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function str(value: string) {
  return { type: 'string' as const, value };
}

/** A `chunk` event whose payload wraps one Anthropic event: `{"bytes": base64, "p": padding}`. */
export function chunkFrame(event: unknown, seq: number): Uint8Array {
  const bytes = Buffer.from(JSON.stringify(event), 'utf8').toString('base64');
  // Bedrock pads payloads to a varying length so sizes do not leak content.
  const p = PADDING.slice(0, 4 + ((seq * 7) % (PADDING.length - 4)));
  return codec.encode({
    headers: { ':event-type': str('chunk'), ':content-type': str('application/json'), ':message-type': str('event') },
    body: fromUtf8(JSON.stringify({ bytes, p })),
  });
}

/** A modelled stream exception (e.g. `throttlingException`) inside a 200 stream. */
export function exceptionFrame(exceptionType: string, message: string, extra: Record<string, unknown> = {}): Uint8Array {
  const member = exceptionType.charAt(0).toLowerCase() + exceptionType.slice(1);
  return codec.encode({
    headers: { ':exception-type': str(member), ':content-type': str('application/json'), ':message-type': str('exception') },
    body: fromUtf8(JSON.stringify({ message, ...extra })),
  });
}

/** The frame with its trailing message CRC flipped: a decoder must reject it. */
export function corruptFrame(frame: Uint8Array): Uint8Array {
  const copy = Uint8Array.from(frame);
  copy[copy.length - 1] ^= 0xff;
  return copy;
}
