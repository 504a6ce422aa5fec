/**
 * What a command runs on its behalf (src/permissions/wrappers.ts): the command behind a wrapper,
 * the script given to a shell, the command hidden in an option — and "opaque" when it cannot be
 * read. Deny and ask rules only see what this finds, so each row is a way to reach a denied
 * command: the expected inner commands, scripts and script files must all be found.
 *
 * Words are written space-separated; `§` stands for a space inside a word, and a word starting
 * with `$` is an expansion (not literal).
 */
import { describe, expect, it } from 'vitest';
import { CODE_VARIABLES, SHELLS, unwrap } from '../../src/permissions/wrappers.js';
import type { ShellWord } from '../../src/permissions/shell.js';

const words = (s: string): ShellWord[] => s.split(' ').map((raw) => (raw.startsWith('$') ? { raw } : { raw, value: raw.replaceAll('§', ' ') }));
interface Found {
  inner: string[];
  scripts: string[];
  files: string[];
  stdin: boolean;
  opaque: string | null;
}
function found(src: string): Found {
  const u = unwrap(words(src));
  return { inner: u.inner.map((ws) => ws.map((w) => w.value ?? w.raw).join(' ')), scripts: u.scripts, files: u.scriptFiles.map((w) => w.value ?? w.raw), stdin: u.stdinScript ?? false, opaque: u.opaque ?? null };
}

const table: Array<[string, Found]> = [
  ["sudo -u bob rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo -ubob rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo --user bob rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo --user=bob rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo --us bob rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo -l rm", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo --list", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo -e file", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo FOO=1 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo PATH=/tmp ls", {"inner":["ls"],"scripts":[],"files":[],"stdin":false,"opaque":"it sets PATH, which changes what the command runs"}],
  ["sudo -- rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo $X rm", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"it runs a command named by an expansion ($X)"}],
  ["sudo -$X rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo -Q rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo --frob rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["env -i FOO=1 rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["env -S rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["env --split-string=rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["env -u HOME rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["env LD_PRELOAD=x ls", {"inner":["ls"],"scripts":[],"files":[],"stdin":false,"opaque":"it sets LD_PRELOAD, which changes what the command runs"}],
  ["command -v rm", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["command rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["exec -a name rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["nice -n 5 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["nice -10 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["nice --adjustment=5 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["timeout 5 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["timeout -s KILL 5 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["timeout --signal KILL 5 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["timeout -k 1 5 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xargs rm", {"inner":["rm <words from standard input>"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xargs", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xargs -I {} rm {}", {"inner":["rm {} <words from standard input>"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xargs -n1 rm", {"inner":["rm <words from standard input>"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["watch ls§-l", {"inner":[],"scripts":["ls -l"],"files":[],"stdin":false,"opaque":null}],
  ["watch -n 1 rm x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["watch -x rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["watch --exec rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["flock f rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["flock -c rm§x f", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["flock --command rm§x f", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["chroot /new rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["chroot /new", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["strace -p 1", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["strace -o f rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["ionice -c 3 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["ionice -p 1", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["su -c rm§x bob", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["su bob", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["runuser -u bob -c rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["script -c rm§x log", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["ssh host rm x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["ssh -p 22 host rm x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["ssh -o ProxyCommand=rm§x host", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["ssh host", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["eval rm x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["eval", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["eval $X", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"eval runs text that is not literal"}],
  ["source f.sh", {"inner":[],"scripts":[],"files":["f.sh"],"stdin":false,"opaque":null}],
  [". f.sh", {"inner":[],"scripts":[],"files":["f.sh"],"stdin":false,"opaque":null}],
  ["source", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["bash -c rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["bash -lc rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["bash -o posix -c rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["bash +O extglob -c rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["bash f.sh", {"inner":[],"scripts":[],"files":["f.sh"],"stdin":false,"opaque":null}],
  ["bash", {"inner":[],"scripts":[],"files":[],"stdin":true,"opaque":null}],
  ["bash -s", {"inner":[],"scripts":[],"files":[],"stdin":true,"opaque":null}],
  ["bash -- f.sh", {"inner":[],"scripts":[],"files":["f.sh"],"stdin":false,"opaque":null}],
  ["bash --", {"inner":[],"scripts":[],"files":[],"stdin":true,"opaque":null}],
  ["bash --rcfile r f.sh", {"inner":[],"scripts":[],"files":["f.sh"],"stdin":false,"opaque":null}],
  ["bash --norc f.sh", {"inner":[],"scripts":[],"files":["f.sh"],"stdin":false,"opaque":null}],
  ["bash $X", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the shell's arguments are not literal ($X)"}],
  ["bash -c $X", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the shell runs a script that is not literal ($X)"}],
  ["sh -xc rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["bash -i", {"inner":[],"scripts":[],"files":[],"stdin":true,"opaque":null}],
  ["trap rm§x EXIT", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["trap -- rm§x EXIT", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["trap - EXIT", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["trap $X EXIT", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the trap action is not literal ($X)"}],
  ["trap -l", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["alias ll=rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["alias $X", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the alias definition is not literal ($X)"}],
  ["alias ll", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["hash -p /tmp/evil ls", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"hash -p makes a command name run another program"}],
  ["hash -r", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["enable -f x.so b", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"enable -f loads code into the shell"}],
  ["enable -n b", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["compgen -W $(rm§x)", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the -W word list is not literal"}],
  ["compgen -W $X", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the -W word list is not literal"}],
  ["complete -W w cmd", {"inner":[],"scripts":[": w"],"files":[],"stdin":false,"opaque":null}],
  ["at now", {"inner":[],"scripts":[],"files":[],"stdin":true,"opaque":null}],
  ["at -f job now", {"inner":[],"scripts":[],"files":["job"],"stdin":false,"opaque":null}],
  ["at -l", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["crontab -l", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["crontab f", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"crontab installs commands that run later"}],
  ["tmux", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["tmux ls", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["tmux new rm", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"tmux runs commands in its sessions"}],
  ["systemctl status x", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["systemctl start x", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"systemctl starts services that run commands"}],
  ["screen -ls", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["screen rm", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"screen runs commands in a detached session"}],
  ["batch", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"batch reads the commands it runs from its input"}],
  ["fc -s", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"fc runs commands from the history after an editor"}],
  ["uv run rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["uv run --with x rm x", {"inner":["x rm x","rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["uv pip install x", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["uvx rm", {"inner":["rm"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["poetry run rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["conda run -n env rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["bundle exec rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["direnv exec dir rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["npm exec rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["npm exec -c rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["npm x --package=p rm", {"inner":["rm"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["npm test", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["pnpm dlx rm", {"inner":["rm"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["cargo run", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xcrun rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xcrun --sdk macosx rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xcrun --toolchain=swift rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xcrun -sdk macosx rm x", {"inner":["macosx rm x","rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xcrun --find rm", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xcrun --show-sdk-path", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["xcrun --run rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["cargo rm x", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["uv run --frob rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["find . -exec rm {} ;", {"inner":["rm {}"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["find . -exec rm {} + -execdir ls {} ;", {"inner":["rm {}","ls {}"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["find . -ok rm", {"inner":["rm"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["find . -name x", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["parallel rm ::: a b", {"inner":[],"scripts":["rm"],"files":[],"stdin":false,"opaque":null}],
  ["parallel ::: a", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"parallel reads the commands it runs from its input"}],
  ["parallel -j 2 rm ::: a", {"inner":[],"scripts":["rm"],"files":[],"stdin":false,"opaque":null}],
  ["parallel $X ::: a", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"parallel runs a command that is not literal"}],
  ["git -c alias.x=!rm x", {"inner":[],"scripts":["rm"],"files":[],"stdin":false,"opaque":null}],
  ["git -c core.pager=less log", {"inner":[],"scripts":["less"],"files":[],"stdin":false,"opaque":null}],
  ["git -c user.name=x log", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["tar -I rm§x -cf a", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["tar --to-command=rm§x -xf a", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["rg --pre rm§x foo", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["rsync -e rm§x a b", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["man -P rm§x ls", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["python -c import§os;os.system('rm')", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"python's inline code can start other programs"}],
  ["python -c print(1)", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["node -e require('child_process')", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"node's inline code can start other programs"}],
  ["node -e 1", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["perl -e system('rm')", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"perl's inline code can start other programs"}],
  ["sed -e 1e§rm f", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the sed script runs commands (e)"}],
  ["sed s/a/b/ f", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["awk BEGIN{system(\"rm\")}", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":"the awk program runs commands (system, | or getline)"}],
  ["awk {print}", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["nohup rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sudo sudo sudo sudo sudo sudo sudo sudo sudo sudo rm x", {"inner":["sudo sudo sudo sudo sudo sudo sudo sudo sudo rm x","sudo sudo sudo sudo sudo sudo sudo sudo rm x","sudo sudo sudo sudo sudo sudo sudo rm x","sudo sudo sudo sudo sudo sudo rm x","sudo sudo sudo sudo sudo rm x","sudo sudo sudo sudo rm x","sudo sudo sudo rm x","sudo sudo rm x","sudo rm x"],"scripts":[],"files":[],"stdin":false,"opaque":"wrappers are nested too deeply to follow"}],
  ["time -f fmt rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["stdbuf -o0 rm x", {"inner":["rm x","x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["setsid rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["taskset 1 rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["taskset -p 1", {"inner":[],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["doas -u root rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["pkexec --user root rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["sshpass -p pw ssh h rm", {"inner":["ssh h rm"],"scripts":["rm"],"files":[],"stdin":false,"opaque":null}],
  ["sg grp -c rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["npx -c rm§x", {"inner":[],"scripts":["rm x"],"files":[],"stdin":false,"opaque":null}],
  ["npx -p pkg rm", {"inner":["rm"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["cgexec -g cpu:x rm", {"inner":["rm"],"scripts":[],"files":[],"stdin":false,"opaque":null}],
  ["proxychains -f conf rm x", {"inner":["rm x"],"scripts":[],"files":[],"stdin":false,"opaque":null}],];

describe('unwrap: what a command runs on its behalf', () => {
  for (const [src, expected] of table) {
    it(src, () => {
      expect(found(src)).toEqual(expected);
    });
  }
});

describe('unwrap: edges', () => {
  it('a program named by a path is known by its name', () => {
    expect(found('/usr/bin/sudo rm x').inner).toEqual(['rm x']);
    expect(found('/bin/bash -c rm§x').scripts).toEqual(['rm x']);
  });
  it('a first word that is an expansion runs nothing this can see', () => {
    expect(found('$X rm x')).toEqual({ inner: [], scripts: [], files: [], stdin: false, opaque: null });
  });
  it('each layer of wrappers is followed, up to a depth', () => {
    expect(found('sudo timeout 5 nice -n 1 bash -c rm§x')).toEqual({ inner: ['timeout 5 nice -n 1 bash -c rm x', 'nice -n 1 bash -c rm x', 'bash -c rm x'], scripts: ['rm x'], files: [], stdin: false, opaque: null });
    expect(found('sudo sudo sudo sudo sudo sudo sudo sudo rm x').opaque).toBeNull();
    expect(found('sudo sudo sudo sudo sudo sudo sudo sudo sudo rm x').opaque).toBe('wrappers are nested too deeply to follow');
  });
  it('an unknown wrapper option hides where the command starts: every later word is a candidate', () => {
    expect(found('nice --frob 5 rm x').inner).toEqual(['5 rm x', 'rm x', 'x']);
  });
  it('the shells and the variables that change what runs', () => {
    for (const s of ['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'rbash', 'yash', 'posh']) expect(SHELLS.has(s), s).toBe(true);
    for (const v of ['PATH', 'LD_PRELOAD', 'DYLD_INSERT_LIBRARIES', 'BASH_ENV', 'ENV', 'PAGER', 'GIT_PAGER', 'EDITOR', 'GIT_SSH_COMMAND', 'NODE_OPTIONS', 'PYTHONPATH', 'PERL5LIB', 'HOME', 'IFS', 'PROMPT_COMMAND', 'npm_config_script_shell']) expect(CODE_VARIABLES.test(v), v).toBe(true);
    for (const v of ['FOO', 'PATHX', 'XPATH', 'LANG', 'TERM', 'npm_config']) expect(CODE_VARIABLES.test(v), v).toBe(false);
  });
});
