/**
 * The control plane's GetGuardrail (`GET /guardrails/{guardrailIdentifier}?guardrailVersion=…`),
 * answered from the scenario's guardrails (B26): the fields of the AWS API reference that a
 * client reads (id, ARN, name, version, status, messaging, word policy, times), a
 * ResourceNotFoundException for an unknown guardrail or version, a ValidationException for a
 * malformed one, and an AccessDeniedException when the scenario denies `bedrock:GetGuardrail`.
 */
import { type AwsErrorReply, awsError } from './aws-errors.js';
import { EMULATOR_ACCOUNT } from './catalog.js';
import { DEFAULT_BLOCKED_MESSAGING } from './guardrail.js';
import type { ScenarioGuardrail } from './types.js';

const IDENTIFIER = /^(([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+))$/;
const VERSION = /^(([1-9][0-9]{0,7})|(DRAFT))$/;
/** A fixed creation time: recorded answers stay the same from run to run. */
const CREATED = '2026-01-15T09:30:00Z';

export interface GetGuardrailInput {
  identifier: string;
  /** The raw query string (without `?`). */
  query: string;
  region: string;
  /** The caller's ARN, for the AccessDenied message. */
  caller: string;
  find: (identifier: string) => ScenarioGuardrail | undefined;
  denied: (action: string) => boolean;
}

export function guardrailArn(region: string, id: string): string {
  return `arn:aws:bedrock:${region}:${EMULATOR_ACCOUNT}:guardrail/${id}`;
}

export function getGuardrail(input: GetGuardrailInput): { body: Record<string, unknown> } | AwsErrorReply {
  const { identifier, region } = input;
  const version = new URLSearchParams(input.query).get('guardrailVersion') ?? 'DRAFT';
  if (!IDENTIFIER.test(identifier)) {
    return awsError('ValidationException', `1 validation error detected: Value '${identifier}' at 'guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ${IDENTIFIER.source}`);
  }
  if (!VERSION.test(version)) {
    return awsError('ValidationException', `1 validation error detected: Value '${version}' at 'guardrailVersion' failed to satisfy constraint: Member must satisfy regular expression pattern: ${VERSION.source}`);
  }
  const id = identifier.startsWith('arn:') ? identifier.slice(identifier.lastIndexOf('/') + 1) : identifier;
  if (input.denied('bedrock:GetGuardrail')) {
    return awsError('AccessDeniedException', `User: ${input.caller} is not authorized to perform: bedrock:GetGuardrail on resource: ${guardrailArn(region, id)} because no identity-based policy allows the bedrock:GetGuardrail action`);
  }
  const g = input.find(identifier);
  const published = g?.version ?? '1';
  if (!g || (version !== 'DRAFT' && version !== published)) {
    return awsError('ResourceNotFoundException', `Guardrail ${identifier}${g ? ` version ${version}` : ''} was not found.`);
  }
  return {
    body: {
      name: g.name ?? `emulator-${g.id}`,
      guardrailId: g.id,
      guardrailArn: guardrailArn(region, g.id),
      version,
      status: g.status ?? 'READY',
      ...(g.status === 'FAILED' ? { statusReasons: ['The guardrail could not be created.'], failureRecommendations: ['Check the guardrail configuration and try again.'] } : {}),
      wordPolicy: { words: g.blockedInputWords.map((text) => ({ text, inputAction: 'BLOCK', inputEnabled: true, outputAction: 'BLOCK', outputEnabled: true })) },
      blockedInputMessaging: g.blockedInputMessaging ?? DEFAULT_BLOCKED_MESSAGING,
      blockedOutputsMessaging: DEFAULT_BLOCKED_MESSAGING,
      createdAt: CREATED,
      updatedAt: CREATED,
    },
  };
}
