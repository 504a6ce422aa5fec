/**
 * The local Bedrock emulator: Bedrock Runtime (InvokeModel, InvokeModelWithResponseStream,
 * CountTokens) and the inference-profile part of the control plane, authenticated like Bedrock
 * and answering from scripted scenarios. Tests and `bcode emulator` start it with `startEmulator`.
 */
import { createServer } from 'node:http';
import { createServer as createH2Server } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { PromptCache } from './accounting.js';
import { buildProfiles } from './catalog.js';
import { Recorder } from './recorder.js';
import { ScenarioPlayer } from './scenario.js';
import { handle, type Req, type Res, type ServerState } from './server.js';
import { TEST_API_KEY, TEST_CREDENTIALS, type EmulatorHandle, type EmulatorOptions } from './types.js';

export * from './types.js';
export { APPLICATION_PROFILE_ID, applicationProfileArn, EMULATOR_ACCOUNT, FOUNDATION_MODELS } from './catalog.js';

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  let offset = 0;
  const baseClock = options.now ?? Date.now;
  const recorder = new Recorder(options.recordFile, options.onRequest);
  const closing = new AbortController();
  const state: ServerState = {
    region,
    authMode: options.authMode ?? 'strict',
    credentials: new Map((options.credentials ?? TEST_CREDENTIALS).map((c) => [c.accessKeyId, { ...c }])),
    apiKeys: new Set(options.apiKeys ?? [TEST_API_KEY]),
    now: () => baseClock() + offset,
    checkClockSkew: options.checkClockSkew ?? false,
    player: new ScenarioPlayer(options.scenario),
    cache: new PromptCache(),
    recorder,
    profiles: buildProfiles(region),
    counter: 0,
    closing: closing.signal,
  };

  const onRequest = (req: Req, res: Res) => {
    handle(state, req, res).catch((err: unknown) => {
      // A bug in the emulator must show up as a 500 in the test, not hang it.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
        res.end(JSON.stringify({ message: `emulator error: ${err instanceof Error ? err.message : String(err)}` }));
      } else {
        res.socket?.destroy();
      }
    });
  };
  // The AWS SDK's Bedrock Runtime client speaks HTTP/2 (cleartext, prior knowledge, against an
  // http:// endpoint); curl and most tools speak HTTP/1.1. One port serves both: the first bytes
  // of a connection say which (an HTTP/2 connection opens with the "PRI * HTTP/2.0" preface).
  const h1 = createServer(onRequest);
  const h2 = createH2Server(onRequest);
  const sockets = new Set<Socket>();
  // Nagle off, as node:http does for the sockets it accepts itself: Bedrock sends each event as
  // it is ready, and a small frame held back until the client's delayed ACK (~40 ms on Linux)
  // would stall the stream and show up as client time in every measurement.
  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.pause();
      socket.unshift(first);
      (first.subarray(0, 3).toString('latin1') === 'PRI' ? h2 : h1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  };
  // Over TLS the same sniffing happens on the decrypted bytes (no ALPN is offered: HTTP/1.1).
  const server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert, noDelay: true }, onConnection) : createNetServer({ noDelay: true }, onConnection);
  if (options.tls) server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `${options.tls ? 'https' : 'http'}://${urlHost}:${port}`,
    port,
    region,
    requests: recorder.requests,
    setScenario: (scenario) => state.player.set(scenario),
    advanceClock: (ms) => {
      offset += ms;
    },
    addCredential: (c) => {
      state.credentials.set(c.accessKeyId, { ...c });
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        for (const s of sockets) s.destroy();
        h1.close();
        h2.close();
        server.close(() => resolve());
      }),
  };
}
