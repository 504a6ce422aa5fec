/**
 * Pure helpers that turn a model id the user gave into the id they probably meant: the
 * geography prefix for a region, the foundation id inside a profile id, and the closest match
 * among a region's inference profiles. Used for error hints and `doctor`.
 */

const GEO_PREFIXES = ['us-gov', 'us', 'eu', 'apac', 'jp', 'au', 'global'] as const;

/** The cross-region profile prefix a region belongs to (us-gov-* → us-gov, us-* → us, eu-* → eu, ap-* → apac, else global). */
export function geoPrefixForRegion(region: string | undefined): string {
  if (!region) return 'global';
  if (region.startsWith('us-gov-')) return 'us-gov';
  if (region.startsWith('us-')) return 'us';
  if (region.startsWith('eu-')) return 'eu';
  if (region.startsWith('ap-')) return 'apac';
  return 'global';
}

/** `us.anthropic.claude-…` → `anthropic.claude-…`; foundation-model ARNs → their id; others unchanged. */
export function foundationIdOf(modelId: string): string {
  const arn = /^arn:aws[a-z-]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile)\/(.+)$/.exec(modelId);
  const id = arn ? arn[1] : modelId;
  for (const p of GEO_PREFIXES) {
    if (id.startsWith(`${p}.`)) return id.slice(p.length + 1);
  }
  return id;
}

/** The inference-profile id to suggest for a foundation id that cannot be called on demand. */
export function suggestProfileId(modelId: string, region: string | undefined): string | undefined {
  if (modelId.startsWith('arn:') && !/foundation-model\//.test(modelId)) return undefined;
  const base = foundationIdOf(modelId);
  if (!base.includes('.')) return undefined;
  return `${geoPrefixForRegion(region)}.${base}`;
}

/** Levenshtein distance, small and bounded in practice (model ids are < 100 characters). */
function distance(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/**
 * The candidate id closest to `wanted`: an exact foundation-id match with the region's own
 * prefix wins, then any profile of the same foundation model, then the smallest edit distance.
 */
export function closestId(wanted: string, candidates: string[], region?: string): string | undefined {
  if (candidates.length === 0) return undefined;
  const base = foundationIdOf(wanted);
  const sameModel = candidates.filter((c) => foundationIdOf(c) === base);
  if (sameModel.length > 0) {
    const preferred = `${geoPrefixForRegion(region)}.${base}`;
    return sameModel.find((c) => c === preferred) ?? sameModel.find((c) => c !== wanted) ?? sameModel[0];
  }
  let best = candidates[0];
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = distance(base, foundationIdOf(c));
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  // A far-off "closest" id is noise, not help.
  return bestD <= Math.max(6, Math.floor(base.length / 3)) ? best : undefined;
}
