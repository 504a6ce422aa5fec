export { SandboxRunner, type PreparedRun, type SandboxRunnerOptions } from './runner.js';
export { resolveSandboxSettings, type SandboxSettings } from './settings.js';
