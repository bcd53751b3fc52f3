#!/usr/bin/env bash
# Installs wvconsole under a prefix; `make install` / `make uninstall` call it.
#
#   scripts/install.sh install   [PREFIX=/usr/local] [DESTDIR=] [CONFIG=release] [SKIP_BUILD=1] [BIN_DIR=…]
#   scripts/install.sh uninstall [PREFIX=/usr/local] [DESTDIR=]
#
# Layout under PREFIX: bin/wvconsole, bin/wvsim, share/wvconsole/themes/*.toml,
# share/man/man1/*.1, and bash/zsh/fish completions where those shells look.
# Everything is staged first; if the prefix cannot be written, one line says so
# and nothing is installed (no half install). A manifest of what went where
# (share/wvconsole/install-manifest.txt) lets `uninstall` remove exactly that.
set -euo pipefail
cd "$(dirname "$0")/.."

action="${1:-install}"; shift || true
for kv in "$@"; do case "$kv" in *=*) export "${kv?}";; esac; done
PREFIX="${PREFIX:-/usr/local}"
DESTDIR="${DESTDIR:-}"
CONFIG="${CONFIG:-release}"
SWIFT="${SWIFT:-swift}"
root="$DESTDIR$PREFIX"
manifest_rel="share/wvconsole/install-manifest.txt"

die() { echo "install: $*" >&2; exit 1; }

build_flags=(-c "$CONFIG")
[ "$CONFIG" = release ] && build_flags+=(--static-swift-stdlib)

if [ "$action" = uninstall ]; then
  [ -f "$root/$manifest_rel" ] || die "nothing to uninstall: $root/$manifest_rel not found"
  while IFS= read -r f; do [ -n "$f" ] && rm -f "$root/$f"; done < "$root/$manifest_rel"
  rm -f "$root/$manifest_rel"
  rmdir "$root/share/wvconsole/themes" "$root/share/wvconsole" 2>/dev/null || true
  echo "uninstalled wvconsole from $root"
  exit 0
fi
[ "$action" = install ] || die "usage: scripts/install.sh install|uninstall [PREFIX=…] [DESTDIR=…]"

# The prefix must be writable before anything is built or copied.
probe_dir="$root"
while [ ! -d "$probe_dir" ]; do probe_dir="$(dirname "$probe_dir")"; done
[ -w "$probe_dir" ] || die "cannot write to $probe_dir (for $root); choose PREFIX=\$HOME/.local or run with the rights to write there. Nothing was installed."

if [ -z "${SKIP_BUILD:-}" ]; then
  "$SWIFT" build "${build_flags[@]}" --product wvconsole >&2
  "$SWIFT" build "${build_flags[@]}" --product wvsim >&2
  "$SWIFT" build --product generate-manual >&2
fi
BIN_DIR="${BIN_DIR:-$("$SWIFT" build "${build_flags[@]}" --show-bin-path)}"
GENERATE_MANUAL="${GENERATE_MANUAL:-$("$SWIFT" build --show-bin-path)/generate-manual}"
for exe in wvconsole wvsim; do [ -x "$BIN_DIR/$exe" ] || die "$BIN_DIR/$exe is missing; build first (swift build -c $CONFIG)"; done
[ -x "$GENERATE_MANUAL" ] || die "$GENERATE_MANUAL is missing; run: swift build --product generate-manual"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/bin" "$stage/share/wvconsole/themes" "$stage/share/man/man1" \
         "$stage/share/bash-completion/completions" "$stage/share/zsh/site-functions" "$stage/share/fish/vendor_completions.d"
install -m 0755 "$BIN_DIR/wvconsole" "$BIN_DIR/wvsim" "$stage/bin/"
# A release install carries no debug symbols (140 MB → 78 MB for wvconsole).
if [ "$CONFIG" = release ]; then strip --strip-unneeded "$stage/bin/wvconsole" "$stage/bin/wvsim"; fi
install -m 0644 themes/*.toml "$stage/share/wvconsole/themes/"
# Manuals and completions come from the binaries themselves, in English.
man_tmp="$stage/man-raw"; mkdir -p "$man_tmp"
for exe in wvconsole wvsim; do
  LANG=C LC_ALL=C "$GENERATE_MANUAL" "$stage/bin/$exe" --multi-page --authors "wvconsole developers" -o "$man_tmp" >/dev/null
done
for page in "$man_tmp"/*.1; do
  case "$(basename "$page")" in *.help.1) continue;; esac
  install -m 0644 "$page" "$stage/share/man/man1/"
done
rm -rf "$man_tmp"
LANG=C "$stage/bin/wvconsole" --generate-completion-script bash > "$stage/share/bash-completion/completions/wvconsole"
LANG=C "$stage/bin/wvconsole" --generate-completion-script zsh > "$stage/share/zsh/site-functions/_wvconsole"
LANG=C "$stage/bin/wvconsole" --generate-completion-script fish > "$stage/share/fish/vendor_completions.d/wvconsole.fish"

# The manifest lists every installed file, itself included.
list="$(cd "$stage" && find . -type f | sed 's|^\./||' | sort)"
printf '%s\n%s\n' "$list" "$manifest_rel" > "$stage/$manifest_rel"

# Copy; if any copy fails, remove what this run put there.
copied=()
undo() { for f in "${copied[@]}"; do rm -f "$root/$f"; done; }
while IFS= read -r f; do
  mkdir -p "$root/$(dirname "$f")" 2>/dev/null && cp -p "$stage/$f" "$root/$f" 2>/dev/null || {
    undo; die "could not write $root/$f; nothing was installed."; }
  copied+=("$f")
done < "$stage/$manifest_rel"
echo "installed wvconsole $("$root/bin/wvconsole" --version) into $root"
