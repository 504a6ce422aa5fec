/**
 * The provider's one call into the capability table: resolves the target's base model (once per
 * id and session), shapes the request for it, and says each thing it had to leave out once.
 */
import type { MessagesRequest } from '../bedrock/anthropic.js';
import type { CredentialSource } from '../bedrock/credentials-types.js';
import type { Config, ModelTarget } from '../config/types.js';
import { shapeRequest } from './request-shape.js';
import { awsProfileLookup, createModelResolver, type ModelResolver, type ProfileLookup, type ResolvedModel } from './resolve-base.js';

export interface RequestShaper {
  shape(request: MessagesRequest, target: ModelTarget, opts: { signal?: AbortSignal; onNotice?: (text: string) => void }): Promise<MessagesRequest>;
  describe(modelId: string, signal?: AbortSignal): Promise<ResolvedModel>;
  resolver: ModelResolver;
}

export function unknownModelNote(id: string): string {
  return `bcode: model '${id}' is not in bcode's table; using a conservative request shape\n  hint: no betas, 5-minute cache markers only above 4096 tokens; run \`bcode models\` for the models bcode knows`;
}

export function createRequestShaper(config: Config, credentials?: CredentialSource, lookup?: ProfileLookup): RequestShaper {
  const resolver = createModelResolver(lookup ?? awsProfileLookup(config, credentials));
  const said = new Set<string>();
  const once = (text: string, onNotice?: (t: string) => void): void => {
    if (said.has(text)) return;
    said.add(text);
    onNotice?.(text);
  };
  return {
    resolver,
    describe: (id, signal) => resolver.resolve(id, signal),
    async shape(request, target, opts) {
      const model = await resolver.resolve(target.id, opts.signal);
      if (!model.known) once(unknownModelNote(target.id), opts.onNotice);
      const shaped = shapeRequest(request, model.caps, { longContext: target.longContext === true });
      for (const note of shaped.notes) once(`bcode: ${note}`, opts.onNotice);
      return shaped.request;
    },
  };
}
