/**
 * A `git` shell function put in front of every command: the repository's own configuration
 * cannot make a reading git command (`status`, `diff`, `log` …) run a program — fsmonitor,
 * hooks, pager, external diff, textconv, clean filters, gpg — whoever allowed the command, and
 * even where no sandbox is available. Other git commands (`commit`, `push` …) run as git would
 * run them for the user, hooks included.
 */
export const READ_ONLY_GIT_PRELUDE = [
  'git() {',
  '  case "$1" in',
  '    status|diff|log|show|blame|grep|ls-files|rev-parse|describe|shortlog) ;;',
  '    *) command git "$@"; return ;;',
  '  esac',
  '  local -a safe=(-c core.fsmonitor=false -c core.hooksPath=/dev/null -c core.pager=cat -c core.sshCommand=false -c protocol.allow=never -c gpg.program=false -c gpg.ssh.program=false -c gpg.x509.program=false)',
  '  local k',
  "  while IFS= read -r k; do safe+=(-c \"$k=\"); done < <(command git config --name-only --get-regexp '^filter\\..*\\.(clean|smudge|process)$' 2>/dev/null)",
  '  local sub="$1"; shift',
  '  case "$sub" in',
  '    diff|log|show) command git "${safe[@]}" "$sub" --no-ext-diff --no-textconv "$@" ;;',
  '    grep|blame) command git "${safe[@]}" "$sub" --no-textconv "$@" ;;',
  '    *) command git "${safe[@]}" "$sub" "$@" ;;',
  '  esac',
  '}',
].join('\n');

/** Environment for read-only runs: no pager or external program chosen through variables. */
export function readOnlyEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { ...env, PAGER: 'cat', GIT_PAGER: 'cat' };
  for (const k of ['GIT_EXTERNAL_DIFF', 'GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_ASKPASS', 'LESSOPEN', 'LESSCLOSE', 'BASH_ENV', 'ENV']) delete out[k];
  return out;
}
