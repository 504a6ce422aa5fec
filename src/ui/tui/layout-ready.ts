/**
 * Resolves once ink's layout engine (yoga, WebAssembly) can be used. In the ES-module build
 * importing ink already waited for it (yoga-layout loads with a top-level await); the CommonJS
 * bundle of the UI (dist/tui.cjs, which has no top-level await) swaps this module for the
 * build's yoga loader, whose promise this then is (scripts/build.mjs).
 */
export const layoutReady: Promise<void> = Promise.resolve();
