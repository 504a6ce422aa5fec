/**
 * The doctor's `network` line (B27): the proxy and extra CAs in effect, and for each endpoint
 * bcode calls — Bedrock runtime, control plane, STS — whether it goes through the proxy or
 * direct (NO_PROXY), and whether the live check that used it got through. Shown only when a
 * proxy or NODE_EXTRA_CA_CERTS is configured: otherwise every connection is a plain one.
 */
import { errorOf, stsEndpoint } from './live-checks.js';
import type { Config } from '../config/types.js';
import { NetError } from '../net/errors.js';
import { proxyFor, redactProxyUrl } from '../net/proxy-env.js';
import { networkSetup } from '../net/state.js';
import type { CheckResult } from './types.js';

export interface EndpointChecks {
  runtime: CheckResult;
  control: CheckResult;
  sts: CheckResult;
}

function reached(check: CheckResult): string {
  if (check.status === 'pass' || check.status === 'warn') return 'reached';
  if (check.status === 'skip') return 'not checked';
  return errorOf(check) instanceof NetError ? 'NOT reached' : 'failed (see below)';
}

export async function networkCheck(config: Config, checks: EndpointChecks): Promise<CheckResult | undefined> {
  const setup = await networkSetup();
  if (!setup.anyProxy && !setup.ca) return undefined;
  const parts: string[] = [];
  const { https, http } = setup.proxies;
  if (https) parts.push(`https proxy ${redactProxyUrl(https.url)} (${https.from})`);
  if (http && http !== https) parts.push(`http proxy ${redactProxyUrl(http.url)} (${http.from})`);
  if (setup.proxies.noProxyText) parts.push(`NO_PROXY ${setup.proxies.noProxyText}`);
  if (setup.ca) parts.push(`extra CA ${setup.ca.file} (${setup.ca.subjects.join(', ')})`);
  const route = (label: string, url: string, check: CheckResult): string => {
    const p = proxyFor(url, setup.proxies);
    return `${label} ${new URL(url).host} ${p ? 'via proxy' : setup.anyProxy ? 'direct (NO_PROXY)' : 'direct'}: ${reached(check)}`;
  };
  parts.push(
    route('runtime', config.models.main.endpoint, checks.runtime),
    route('control plane', config.controlEndpoint, checks.control),
    route('STS', stsEndpoint(config.region || 'us-east-1'), checks.sts),
  );
  const broken = [checks.runtime, checks.control, checks.sts].map(errorOf).find((e): e is NetError => e instanceof NetError);
  return { id: 'network', title: 'proxy and CA', status: broken ? 'fail' : 'pass', detail: parts.join('; '), ...(broken ? { fix: broken.hint } : {}) };
}
