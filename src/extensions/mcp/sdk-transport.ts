/**
 * In-process MCP servers of an Agent SDK app (`createSdkMcpServer`): the server lives in the app,
 * so bcode reaches it through the control channel of the headless protocol. Every JSON-RPC
 * message bcode's MCP client sends becomes one `mcp_message` control request to the host; the
 * host's success answer carries the server's reply under `mcp_response`. Messages the server
 * starts itself (a tool-list change) arrive as `mcp_message` requests from the host and are
 * handed in with `deliver`. As a `Transport` of the MCP SDK, the connection, tool adapter and
 * result handling of the other servers apply unchanged.
 */
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Sends one `mcp_message` request for `server`; resolves with the host's `mcp_response` (undefined when it gave none). */
export type McpMessageSender = (server: string, message: JSONRPCMessage) => Promise<unknown>;

/** Makes the transport for one SDK server; undefined when the app registered no server of that name. */
export type SdkTransportFactory = (server: string) => SdkControlTransport | undefined;

/** JSON-RPC's "internal error": the host could not relay the request. */
const INTERNAL_ERROR = -32603;

export class SdkControlTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private closed = false;

  constructor(
    readonly server: string,
    private readonly sendToHost: McpMessageSender,
    private readonly onClosed?: () => void,
  ) {}

  async start(): Promise<void> {
    // The host's server is already running: nothing to open.
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) throw new Error(`the connection to the app's MCP server '${this.server}' is closed`);
    const id = 'id' in message && 'method' in message ? message.id : undefined;
    // Not awaited: the client matches the reply by its id, and several requests may be in flight.
    void this.sendToHost(this.server, message).then(
      (reply) => {
        // Only a request has a reply; what the host sends back for a notification is an empty acknowledgement.
        if (id === undefined || this.closed) return;
        if (isMessage(reply)) this.onmessage?.(reply);
        else this.onmessage?.({ jsonrpc: '2.0', id, error: { code: INTERNAL_ERROR, message: `the app's MCP server '${this.server}' gave no reply` } });
      },
      (err: unknown) => {
        if (this.closed) return;
        const text = err instanceof Error ? err.message : String(err);
        if (id !== undefined) this.onmessage?.({ jsonrpc: '2.0', id, error: { code: INTERNAL_ERROR, message: text } });
        else this.onerror?.(new Error(text));
      },
    );
  }

  /** A message the server sent on its own (relayed by the host). */
  deliver(message: unknown): void {
    if (this.closed) throw new Error(`the connection to MCP server '${this.server}' is closed`);
    if (!isMessage(message)) throw new Error('mcp_message carries no JSON-RPC message');
    this.onmessage?.(message);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed?.();
    this.onclose?.();
  }
}

function isMessage(v: unknown): v is JSONRPCMessage {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as { jsonrpc?: unknown }).jsonrpc === '2.0';
}
