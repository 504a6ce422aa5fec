import { ConfigError } from '../errors.js';

/** DNS suffix of the partition a region belongs to (China has its own; the rest of bcode's regions use the commercial one). */
function dnsSuffix(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}

export function runtimeEndpoint(region: string): string {
  return `https://bedrock-runtime.${region}.${dnsSuffix(region)}`;
}

export function controlEndpoint(region: string): string {
  return `https://bedrock.${region}.${dnsSuffix(region)}`;
}

/**
 * B16: `ANTHROPIC_BEDROCK_BASE_URL`, kept with its path prefix and without a trailing slash so
 * callers append `/model/{id}/…`. Credentials in the URL are refused: they would end up in logs.
 */
export function parseBaseUrl(name: string, value: string): string {
  const example = 'https://llm-gateway.example.com/bedrock';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, and this value is not a URL`, { hint: `e.g. export ${name}=${example}` });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name} must be an http(s) URL, got the scheme '${url.protocol.slice(0, -1)}'`, { hint: `e.g. export ${name}=${example}` });
  }
  if (url.username || url.password) {
    throw new ConfigError(`${name} must not contain a user name or password`, { hint: 'pass gateway credentials as a header in ANTHROPIC_CUSTOM_HEADERS instead' });
  }
  if (url.search || url.hash) {
    throw new ConfigError(`${name} must not have a query string or fragment`, { hint: `e.g. export ${name}=${example}` });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
