import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applySettingsEnv } from '../../src/config/apply-env.js';
import { Fixture } from './fixture.js';

let fx: Fixture;
beforeEach(() => {
  fx = new Fixture();
});
afterEach(() => fx.cleanup());

describe('applySettingsEnv', () => {
  it('copies settings env into the target for names it lacks, never replacing shell values', async () => {
    fx.write(fx.userSettings, { env: { AWS_PROFILE: 'from-settings', AWS_CONFIG_FILE: '/x/config', AWS_REGION: 'eu-west-1' } });
    const shell = fx.env({ AWS_REGION: 'us-west-2', AWS_CONFIG_FILE: '' });
    const { config } = await fx.load({ AWS_REGION: 'us-west-2', AWS_CONFIG_FILE: '' });
    const target = { ...shell };
    const set = applySettingsEnv(config, target);
    expect(target.AWS_PROFILE).toBe('from-settings');
    expect(target.AWS_CONFIG_FILE).toBe('/x/config');
    expect(target.AWS_REGION).toBe('us-west-2');
    expect(set.sort()).toEqual(['AWS_CONFIG_FILE', 'AWS_PROFILE']);
  });
});
