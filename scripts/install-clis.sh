#!/usr/bin/env bash
# Installs the real coding CLIs that test/clients/*.test.ts drive through llmux, at the versions
# whose traffic was recorded, into a cache folder outside the project (never its node_modules,
# package.json or lock): ${LLMUX_CLIS_DIR:-/opt/llmux-clis}/<cli>/, one npm prefix per CLI.
# Idempotent: a CLI already installed at the right version is left alone. A failed install does not
# fail this script (a registry hiccup must not fail CI): it is announced loudly and its reason is
# written to <cli>/install-error.txt, which the tests quote when they skip.
set -uo pipefail

DIR="${LLMUX_CLIS_DIR:-/opt/llmux-clis}"
# name|package|version|the command (relative to the prefix) whose `--version` proves it runs: the native
# binaries come from a postinstall script (Claude Code) and an optional dependency (Codex), either
# of which npm may skip without failing the install.
CLIS=(
  "claude-code|@anthropic-ai/claude-code|2.1.332|node_modules/.bin/claude"
  "codex|@openai/codex|0.171.0|node_modules/.bin/codex"
  "gemini-cli|@google/gemini-cli|0.61.0|node_modules/.bin/gemini"
)
# One attempt's limit, and the whole script's (measured here: ~30 s for the three with an empty npm
# cache, ~370 MB downloaded), so that a stalled registry costs CI minutes, not its whole budget.
ATTEMPT_TIMEOUT_S="${LLMUX_CLIS_ATTEMPT_TIMEOUT_S:-300}"
BUDGET_S="${LLMUX_CLIS_BUDGET_S:-600}"

installed_version() {
  node -e 'try { process.stdout.write(require(process.argv[1]).version) } catch {}' \
    "$1/node_modules/$2/package.json" 2>/dev/null
}

# `<probe> --version` prints the version, in a throwaway HOME (the CLIs write settings there).
runs_version() {
  local probe=$1 version=$2 home output
  home=$(mktemp -d)
  output=$(env -i PATH="$(dirname "$(command -v node)"):/usr/bin:/bin" HOME="$home" TERM=dumb \
    timeout --kill-after=5 120 "$probe" --version </dev/null 2>&1)
  rm -rf "$home"
  case "$output" in *"$version"*) return 0 ;; *) echo "$probe --version: ${output:-no output}" ;; esac
  return 1
}

install_one() {
  local name=$1 pkg=$2 version=$3 probe=$4
  local prefix="$DIR/$name"
  local marker="$prefix/installed-version.txt"
  if [ "$(cat "$marker" 2>/dev/null)" = "$version" ] && [ "$(installed_version "$prefix" "$pkg")" = "$version" ]; then
    echo "install-clis: $name: $pkg@$version already installed in $prefix"
    rm -f "$prefix/install-error.txt"
    return 0
  fi
  mkdir -p "$prefix"
  rm -f "$prefix/install-error.txt" "$marker"
  # Its own package.json pins npm's prefix here, so nothing is written above this folder.
  [ -f "$prefix/package.json" ] || printf '{ "name": "llmux-cli-%s", "private": true }\n' "$name" >"$prefix/package.json"
  local log="$prefix/install.log" started=$SECONDS attempt
  : >"$log"
  for attempt in 1 2; do
    if [ "$SECONDS" -ge "$BUDGET_S" ]; then
      echo "install-clis: $name: no attempt $attempt, the ${BUDGET_S} s budget is spent" >>"$log"
      break
    fi
    echo "install-clis: $name: installing $pkg@$version into $prefix (attempt $attempt)"
    timeout --kill-after=10 "$ATTEMPT_TIMEOUT_S" npm install --prefix "$prefix" --save-exact --no-audit --no-fund \
      --loglevel=error "$pkg@$version" >>"$log" 2>&1
    case $? in
      0) ;;
      124 | 137) echo "npm install timed out after ${ATTEMPT_TIMEOUT_S} s" >>"$log" ;;
    esac
    if [ "$(installed_version "$prefix" "$pkg")" = "$version" ] && runs_version "$prefix/$probe" "$version" >>"$log"; then
      printf '%s\n' "$version" >"$marker"
      echo "install-clis: $name: installed in $((SECONDS - started)) s"
      return 0
    fi
  done
  local reason
  # npm's error code and message (without its stack trace and property dump), and a failed --version.
  reason="installing $pkg@$version failed after $((SECONDS - started)) s: $(
    grep -v -E '^npm warn|^npm error( *$|  +|  *[{}]| (syscall|errno) | If you are behind| A complete log)' "$log" |
      awk '!seen[$0]++' | head -n 6 | tr '\n' ' '
  )"
  printf '%s\n' "$reason" >"$prefix/install-error.txt"
  {
    echo "################################################################################"
    echo "install-clis: WARNING: $name could not be installed; its tests in test/clients will SKIP"
    echo "install-clis: $reason"
    echo "install-clis: full log: $log"
    echo "################################################################################"
  } >&2
  return 1
}

mkdir -p "$DIR" || {
  echo "install-clis: WARNING: cannot create $DIR; every CLI test will SKIP" >&2
  exit 0
}
failed=0
total_started=$SECONDS
for entry in "${CLIS[@]}"; do
  IFS='|' read -r name pkg version probe <<<"$entry"
  install_one "$name" "$pkg" "$version" "$probe" || failed=$((failed + 1))
done
echo "install-clis: done in $((SECONDS - total_started)) s ($failed failed) in $DIR"
exit 0
