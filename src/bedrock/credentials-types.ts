/** AWS credentials as bcode holds them. Every field but expiration is a secret. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * Where SigV4 credentials come from (B3, B6, B7): the SDK default chain, or `awsCredentialExport`,
 * cached until 5 minutes before expiry; `refresh` runs `awsAuthRefresh` and/or the export again.
 * Implemented in src/bedrock/credentials.ts.
 */
export interface CredentialSource {
  /** Which source won, for doctor / --verbose, e.g. `environment`, `profile dev`, `awsCredentialExport`. */
  describe(): string;
  /** Cached credentials; refreshes first when they are expired or within the margin. */
  get(): Promise<AwsCredentials>;
  /**
   * Forces a refresh (after Bedrock rejected the credentials). Concurrent callers share one refresh.
   * Pass the credentials that were rejected: when another caller has already replaced them, no
   * second refresh runs (requests that failed one after another then still share one refresh).
   */
  refresh(reason: string, rejected?: AwsCredentials): Promise<void>;
}
