/**
 * bcode's side of the MCP SDK's OAuth client (`OAuthClientProvider`): the SDK does discovery,
 * dynamic client registration, PKCE, the code exchange and refreshes; this class answers its
 * questions from the stored record (oauth-store.ts) and keeps what it is given.
 *
 * Two modes. In a session (`signIn` absent) nothing interactive may happen: stored tokens are
 * used and refreshed, and where the SDK would need the user (no client registered yet, or a
 * browser sign-in) the provider stops it with `McpNeedsAuthError`, so the server is reported
 * as "needs authentication" and the session goes on. With `signIn` (bcode mcp login, /mcp auth)
 * the authorization URL is handed to the caller, which shows it and waits for the redirect.
 */
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { BcodeError } from '../../errors.js';
import type { Json, OAuthStore } from './oauth-store.js';

/** Where a session's server stopped: a person has to sign in first. */
export class McpNeedsAuthError extends BcodeError {
  constructor(server: string) {
    super(`MCP server '${server}' needs authentication`, { hint: `run /mcp in bcode, or bcode mcp login ${server}`, exitCode: 1 });
  }
}

/** A loopback redirect when none is listening (a session): only an address to register with. */
const PLACEHOLDER_REDIRECT = 'http://127.0.0.1/callback';

export interface SignIn {
  /** The loopback listener's callback URL. */
  redirectUrl: string;
  /** The SDK has an authorization URL for the user. */
  onAuthorizationUrl: (url: URL) => void;
}

export class BcodeOAuthProvider implements OAuthClientProvider {
  /** Set when the SDK asked for something only a sign-in can give. */
  needsAuth = false;
  private verifier?: string;
  readonly expectedState = randomBytes(16).toString('hex');

  constructor(
    private readonly store: OAuthStore,
    private readonly signIn?: SignIn,
  ) {}

  get redirectUrl(): string {
    if (this.signIn) return this.signIn.redirectUrl;
    const stored = this.store.record.clientInformation?.redirect_uris;
    return Array.isArray(stored) && typeof stored[0] === 'string' ? stored[0] : PLACEHOLDER_REDIRECT;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'bcode',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // A public client: PKCE protects the code; there is no secret a terminal could keep.
      token_endpoint_auth_method: 'none',
    };
  }

  state(): string {
    return this.expectedState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const info = this.store.record.clientInformation as OAuthClientInformationMixed | undefined;
    if (!this.signIn) {
      // Registering now would leave a client behind for a redirect nobody listens to.
      if (!info) this.stop();
      return info;
    }
    // A client registered for another loopback port cannot receive this redirect: register anew.
    const uris = (info as { redirect_uris?: unknown } | undefined)?.redirect_uris;
    if (info && Array.isArray(uris) && !uris.includes(this.signIn.redirectUrl)) return undefined;
    return info;
  }

  async saveClientInformation(info: OAuthClientInformationMixed): Promise<void> {
    await this.store.update((r) => {
      r.clientInformation = info as Json;
    });
  }

  tokens(): OAuthTokens | undefined {
    return this.store.record.tokens as OAuthTokens | undefined;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    await this.store.update((r) => {
      r.tokens = tokens as Json;
      r.savedAt = Date.now();
    });
  }

  redirectToAuthorization(url: URL): void {
    if (!this.signIn) this.stop();
    this.signIn.onAuthorizationUrl(url);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new Error('no sign-in is in progress (the PKCE code verifier is missing)');
    return this.verifier;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier') {
      this.verifier = undefined;
      return;
    }
    await this.store.update((r) => {
      if (scope === 'all' || scope === 'client') delete r.clientInformation;
      if (scope === 'all' || scope === 'tokens') {
        delete r.tokens;
        delete r.savedAt;
      }
      if (scope === 'all' || scope === 'discovery') delete r.discoveryState;
    });
  }

  saveDiscoveryState(state: OAuthDiscoveryState): Promise<void> {
    return this.store.update((r) => {
      r.discoveryState = state as unknown as Json;
    });
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.store.record.discoveryState as OAuthDiscoveryState | undefined;
  }

  private stop(): never {
    this.needsAuth = true;
    throw new McpNeedsAuthError(this.store.server);
  }
}
