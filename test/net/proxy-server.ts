/**
 * A real HTTP proxy for the tests: the `proxy` package (TooTallNate's, the proxy the proxy-agent
 * family is tested against) on 127.0.0.1, port 0. Its own `connect` events are the log of every
 * tunnel opened. Options: Basic auth required, or every CONNECT refused with 403 (a policy layer
 * in front of the package's handler, as a corporate proxy's deny list would answer).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createProxy, type ProxyServer } from 'proxy';

export interface TestProxy {
  url: string;
  port: number;
  /** `host:port` of every CONNECT the proxy received. */
  connects: string[];
  /** Absolute URLs of plain (forward-proxy) requests. */
  requests: string[];
  close(): Promise<void>;
}

export async function startProxy(options: { auth?: { user: string; password: string }; refuseConnect?: boolean } = {}): Promise<TestProxy> {
  const server: ProxyServer = createProxy(createServer());
  const connects: string[] = [];
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.prependListener('connect', (req: IncomingMessage) => void connects.push(req.url ?? ''));
  server.prependListener('request', (req: IncomingMessage) => void requests.push(req.url ?? ''));
  if (options.auth) {
    const expected = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`;
    server.authenticate = (req) => req.headers['proxy-authorization'] === expected;
  }
  if (options.refuseConnect) {
    // The package's own tunnel handler is the last `connect` listener: replaced by a refusal.
    const listeners = server.listeners('connect') as Array<(...args: unknown[]) => void>;
    server.removeListener('connect', listeners[listeners.length - 1]);
    server.on('connect', (_req: IncomingMessage, socket: Socket) => {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: 18\r\n\r\nblocked by policy\n');
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connects,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
