import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtInAliasTarget, classifyModelId } from '../../src/config/models.js';
import { Fixture } from './fixture.js';

let fx: Fixture;
beforeEach(() => {
  fx = new Fixture();
});
afterEach(() => fx.cleanup());

const SHAPES =
  'use an alias (sonnet, opus, haiku), a foundation-model id (anthropic.claude-sonnet-4-5-20250929-v1:0), an inference-profile id (us.anthropic.claude-sonnet-4-5-20250929-v1:0) or an application-inference-profile ARN (arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123)';
const APP_ARN = 'arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5';

describe('model id shapes', () => {
  it.each([
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'foundation-model'],
    ['anthropic.claude-instant-v1', 'foundation-model'],
    ['us.anthropic.claude-haiku-4-5-20251001-v1:0', 'inference-profile'],
    ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'inference-profile'],
    ['us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0', 'inference-profile'],
    [APP_ARN, 'arn'],
    ['arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0', 'arn'],
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0', 'arn'],
    ['arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:application-inference-profile/x1', 'arn'],
  ])('%s is a %s', (id, kind) => {
    expect(classifyModelId(id)).toBe(kind);
  });

  it.each([
    'claude-sonnet-4-5',
    'arn:aws:bedrock:us-east-1:123:application-inference-profile/x',
    'arn:aws:bedrock:us-east-1::application-inference-profile/x',
    'arn:aws:s3:::bucket',
    'anthropic.',
    '.claude',
  ])('%s is no model id', (id) => {
    expect(classifyModelId(id)).toBeUndefined();
  });
});

describe('B9 defaults', () => {
  it('main is global Sonnet 4.5 and small/fast is us. Haiku 4.5 in a US region', async () => {
    const { config } = await fx.load({ AWS_REGION: 'us-east-1' });
    expect(config.models.main).toEqual({ id: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0', region: 'us-east-1', endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com' });
    expect(config.models.smallFast).toEqual({ id: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', region: 'us-east-1', endpoint: 'https://bedrock-runtime.us-east-1.amazonaws.com' });
    expect(config.sources['models.main']).toBe('default');
    expect(config.sources['models.smallFast']).toBe('default');
  });

  it('small/fast uses the geography of the region (a us. profile cannot be called from Europe)', async () => {
    expect((await fx.load({ AWS_REGION: 'eu-west-1' })).config.models.smallFast.id).toBe('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect((await fx.load({ AWS_REGION: 'ap-northeast-1' })).config.models.smallFast.id).toBe('jp.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect((await fx.load({ AWS_REGION: 'sa-east-1' })).config.models.smallFast.id).toBe('global.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('GovCloud gets us-gov. profiles', async () => {
    const { config } = await fx.load({ AWS_REGION: 'us-gov-west-1' });
    expect(config.models.main.id).toBe('us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });
});

describe('B10 aliases and overrides', () => {
  it('built-in alias targets follow the region geography', () => {
    expect(builtInAliasTarget('sonnet', 'us-west-2')).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(builtInAliasTarget('sonnet', 'eu-central-1')).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(builtInAliasTarget('sonnet', 'ap-southeast-2')).toBe('au.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(builtInAliasTarget('sonnet', 'ap-south-1')).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(builtInAliasTarget('opus', 'us-east-2')).toBe('us.anthropic.claude-opus-4-5-20251101-v1:0');
    expect(builtInAliasTarget('opus', 'ap-northeast-1')).toBe('global.anthropic.claude-opus-4-5-20251101-v1:0');
    expect(builtInAliasTarget('haiku', 'ca-central-1')).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('ANTHROPIC_MODEL and ANTHROPIC_SMALL_FAST_MODEL override the defaults', async () => {
    const { config } = await fx.load({ ANTHROPIC_MODEL: APP_ARN, ANTHROPIC_SMALL_FAST_MODEL: 'anthropic.claude-3-5-haiku-20241022-v1:0' });
    expect(config.models.main.id).toBe(APP_ARN);
    expect(config.models.smallFast.id).toBe('anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(config.sources['models.smallFast']).toBe('env:ANTHROPIC_SMALL_FAST_MODEL');
  });

  it('ANTHROPIC_DEFAULT_*_MODEL redefine what the aliases mean', async () => {
    const env = {
      ANTHROPIC_DEFAULT_SONNET_MODEL: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
      ANTHROPIC_DEFAULT_OPUS_MODEL: APP_ARN,
      ANTHROPIC_DEFAULT_HAIKU_MODEL: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
    };
    let { config } = await fx.load(env, { model: 'opus' });
    expect(config.models.aliases).toEqual({ sonnet: env.ANTHROPIC_DEFAULT_SONNET_MODEL, opus: APP_ARN, haiku: env.ANTHROPIC_DEFAULT_HAIKU_MODEL });
    expect(config.models.main.id).toBe(APP_ARN);
    expect(config.sources['models.main']).toBe('flag:--model, alias opus → env:ANTHROPIC_DEFAULT_OPUS_MODEL');
    // The haiku alias is the small/fast model unless ANTHROPIC_SMALL_FAST_MODEL is set.
    expect(config.models.smallFast.id).toBe(env.ANTHROPIC_DEFAULT_HAIKU_MODEL);
    ({ config } = await fx.load({ ...env, ANTHROPIC_MODEL: 'Sonnet' }));
    expect(config.models.main.id).toBe(env.ANTHROPIC_DEFAULT_SONNET_MODEL);
  });

  it('aliases resolve to built-in targets in --model and the model setting', async () => {
    let { config } = await fx.load({ AWS_REGION: 'eu-west-1' }, { model: 'sonnet' });
    expect(config.models.main.id).toBe('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(config.sources['models.main']).toBe('flag:--model, alias sonnet → built-in');
    fx.write(fx.projectSettings, { model: 'haiku' });
    ({ config } = await fx.load());
    expect(config.models.main.id).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('--model default clears every override', async () => {
    const { config } = await fx.load({ ANTHROPIC_MODEL: 'anthropic.claude-x-v1:0' }, { model: 'default' });
    expect(config.models.main.id).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
  });

  it('a [1m] suffix asks for the 1M window where the model has it (B22)', async () => {
    const { config, warnings } = await fx.load({ ANTHROPIC_MODEL: 'global.anthropic.claude-sonnet-4-5-20250929-v1:0[1m]' });
    expect(config.models.main.id).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(config.models.main.longContext).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('sonnet[1m] keeps the 1M request through the alias; the small model does not inherit it', async () => {
    const { config } = await fx.load({ ANTHROPIC_MODEL: 'sonnet[1m]' });
    expect(config.models.main.longContext).toBe(true);
    expect(config.models.smallFast.longContext).toBeUndefined();
  });

  it('a [1m] suffix on a model without the 1M window warns and is not honoured', async () => {
    const { config, warnings } = await fx.load({ ANTHROPIC_MODEL: 'opus[1m]' });
    expect(config.models.main.longContext).toBeUndefined();
    expect(warnings).toEqual(["the [1m] suffix in ANTHROPIC_MODEL asks for the 1M-token context window, which Claude Opus 4.5 does not have on Bedrock; using its 200k window"]);
  });

  it('warns when an ARN names another region than the one requests go to', async () => {
    const { warnings } = await fx.load({ AWS_REGION: 'us-west-2', ANTHROPIC_MODEL: APP_ARN });
    expect(warnings).toEqual(['the main model ARN names region us-east-1, but its requests go to us-west-2']);
  });

  it.each([
    [{ ANTHROPIC_MODEL: 'claude-sonnet-4-5' }, {}, "bcode: ANTHROPIC_MODEL: 'claude-sonnet-4-5' is not a Bedrock model id"],
    [{ ANTHROPIC_MODEL: 'us.anthropic.claude sonnet' }, {}, "bcode: ANTHROPIC_MODEL is not a Bedrock model id: 'us.anthropic.claude sonnet' contains whitespace"],
    [{ ANTHROPIC_SMALL_FAST_MODEL: 'haiku-4.5' }, {}, "bcode: ANTHROPIC_SMALL_FAST_MODEL: 'haiku-4.5' is not a Bedrock model id"],
    [{ ANTHROPIC_DEFAULT_OPUS_MODEL: 'arn:aws:bedrock:us-east-1:12:application-inference-profile/x' }, {}, "bcode: ANTHROPIC_DEFAULT_OPUS_MODEL: 'arn:aws:bedrock:us-east-1:12:application-inference-profile/x' is not a Bedrock model id"],
    [{}, { model: 'opusplan' }, "bcode: --model: the alias 'opusplan' is not supported by bcode"],
    [{}, { model: '' }, 'bcode: --model is empty'],
  ])('refuses %j %j with the accepted shapes as hint', async (env, flags, line) => {
    expect(await fx.error(env, flags)).toBe(`${line}\n  hint: ${SHAPES}`);
  });

  it('refuses an alias as the value of an alias variable', async () => {
    expect(await fx.errorLine({ ANTHROPIC_DEFAULT_SONNET_MODEL: 'sonnet' })).toBe("bcode: ANTHROPIC_DEFAULT_SONNET_MODEL must be a model id, not the alias 'sonnet'");
  });

  it('names the settings file for a bad model setting', async () => {
    fx.write(fx.projectSettings, { model: 'gpt-4' });
    expect(await fx.errorLine()).toBe(`bcode: ${fx.projectSettings}: model: 'gpt-4' is not a Bedrock model id`);
  });
});

describe('B11 ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION', () => {
  it('moves small/fast calls to that region and its endpoint', async () => {
    const { config } = await fx.load({ AWS_REGION: 'us-east-1', ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'eu-west-1' });
    expect(config.models.main.region).toBe('us-east-1');
    expect(config.models.smallFast.region).toBe('eu-west-1');
    expect(config.models.smallFast.endpoint).toBe('https://bedrock-runtime.eu-west-1.amazonaws.com');
    // The built-in small/fast profile is chosen for the region the call goes to.
    expect(config.models.smallFast.id).toBe('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(config.sources['models.smallFast.region']).toBe('env:ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION');
  });

  it('refuses a value not shaped like a region', async () => {
    expect(await fx.errorLine({ ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION: 'europe' })).toBe("bcode: ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION must be an AWS region such as us-east-1, got 'europe'");
  });
});

describe('ANTHROPIC_BEDROCK_REGION_PREFIX', () => {
  it('replaces the geography of every built-in model', async () => {
    const { config } = await fx.load({ AWS_REGION: 'eu-west-1', ANTHROPIC_BEDROCK_REGION_PREFIX: 'global' });
    expect(config.models.main.id).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(config.models.smallFast.id).toBe('global.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(config.models.aliases.sonnet).toBe('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(config.sources['models.smallFast']).toBe('env:ANTHROPIC_BEDROCK_REGION_PREFIX');
  });

  it('does not touch explicit model ids', async () => {
    const { config } = await fx.load({ ANTHROPIC_BEDROCK_REGION_PREFIX: 'eu', ANTHROPIC_MODEL: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(config.models.main.id).toBe('us.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(config.models.smallFast.id).toBe('eu.anthropic.claude-haiku-4-5-20251001-v1:0');
  });

  it('refuses an unknown prefix', async () => {
    expect(await fx.error({ ANTHROPIC_BEDROCK_REGION_PREFIX: 'asia' })).toBe(
      "bcode: ANTHROPIC_BEDROCK_REGION_PREFIX must be one of us, eu, apac, jp, au, global, us-gov, got 'asia'\n  hint: e.g. export ANTHROPIC_BEDROCK_REGION_PREFIX=global, or unset it to follow AWS_REGION",
    );
  });
});
