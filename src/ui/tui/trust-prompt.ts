/**
 * The folder-trust question, asked on the terminal before the UI and the session start (the
 * project's own settings want to run commands). One key, before ink draws anything: the answer
 * decides what the session is made with.
 */
import type { TrustQuestion } from '../../extensions/hooks/index.js';

export async function askTrustOnTerminal(q: TrustQuestion, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  const lines = [
    '',
    `This folder's settings want to run commands on your machine (hooks):`,
    `  ${q.folder}`,
    ...q.hooks.slice(0, 10).map((h) => `    ${h}`),
    ...(q.hooks.length > 10 ? [`    … and ${q.hooks.length - 10} more`] : []),
    'Only trust a folder whose files you (or your team) wrote. bcode remembers the answer yes.',
    '',
  ];
  output.write(`${lines.join('\n')}\nTrust this folder and run its hooks? [y/N] `);
  const answer = await oneKey(input);
  const yes = answer === 'y' || answer === 'Y';
  output.write(`${yes ? 'yes' : 'no'}\n`);
  return yes;
}

/**
 * One key press (raw mode on a terminal, so no Enter is needed); the stream is left paused and
 * without listeners, as the UI that starts next expects it.
 */
export function oneKey(input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void }): Promise<string> {
  return new Promise((resolve) => {
    const raw = input.isTTY === true && typeof input.setRawMode === 'function';
    if (raw) input.setRawMode!(true);
    const done = (key: string) => {
      input.off('data', onData);
      input.off('end', onEnd);
      if (raw) input.setRawMode!(false);
      input.pause();
      resolve(key);
    };
    const onData = (d: Buffer | string) => done(String(d).trim().charAt(0));
    // Input closed: no trust.
    const onEnd = () => done('');
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}
