#!/usr/bin/env bash
# Builds the release packages into dist/:
#   wvconsole-VERSION-linux-ARCH.tar.gz   the installed tree (bin, share) + README.md
#   wvconsole_VERSION_ARCH.deb            the same under /usr, with Depends read
#                                         from the libraries the binaries link (ldd)
# Options (environment): CONFIG=release (debug for a quick check), SKIP_BUILD=1, BIN_DIR=…, OUT=dist
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIG="${CONFIG:-release}"
OUT="${OUT:-dist}"
mkdir -p "$OUT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# One install into a scratch root, reused by both packages.
scripts/install.sh install PREFIX=/usr DESTDIR="$work/root" CONFIG="$CONFIG" ${SKIP_BUILD:+SKIP_BUILD=1} ${BIN_DIR:+BIN_DIR="$BIN_DIR"} >&2
version="$("$work/root/usr/bin/wvconsole" --version | cut -d' ' -f1)"
machine="$(uname -m)"
case "$machine" in x86_64) debarch=amd64;; aarch64) debarch=arm64;; *) debarch="$machine";; esac

# tar.gz: the tree as `make install PREFIX=<dir>` lays it out, plus the README.
tree="$work/wvconsole-$version"
mkdir -p "$tree"
cp -R "$work/root/usr/." "$tree/"
cp README.md "$tree/"
tarball="$OUT/wvconsole-$version-linux-$machine.tar.gz"
tar -C "$work" -czf "$tarball" "wvconsole-$version"

# .deb: Depends are the Debian packages that own the shared libraries the
# binaries need (from ldd), not a list from memory.
# Only the libraries the binaries name themselves (NEEDED), located by ldd;
# what those pull in is their own packages' business.
deps="$(for exe in "$work/root/usr/bin/"*; do
          needed="$(readelf -d "$exe" | awk -F'[][]' '/NEEDED/{print $2}')"
          ldd "$exe" | awk -v n="$needed" 'BEGIN{split(n,a,"\n"); for(i in a) want[a[i]]=1} /=> \//{ if ($1 in want) print $3 }'
        done | sort -u |
        while read -r lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || true; done |
        cut -d: -f1 | sort -u | grep -v '^libc6$' || true)"
depends="libc6"
for d in $deps; do
  v="$(dpkg-query -W -f='${Version}' "$d" 2>/dev/null | sed 's/-[^-]*$//' || true)"
  depends="$depends, $d${v:+ (>= $v)}"
done
mkdir -p "$work/root/DEBIAN"
size="$(du -sk "$work/root/usr" | cut -f1)"
cat > "$work/root/DEBIAN/control" <<CONTROL
Package: wvconsole
Version: $version
Architecture: $debarch
Maintainer: wvconsole developers <wvconsole@localhost>
Installed-Size: $size
Depends: $depends
Section: utils
Priority: optional
Description: fast, safe terminal console for Wolkvox dialing campaigns
 Find records by phone or ID, reschedule callbacks, block numbers and delete
 records from a terminal, with a journal of every change, a CLI for scripts
 and bulk imports, and wvsim, a Wolkvox look-alike for training and tests.
CONTROL
rm -f "$work/root/usr/share/wvconsole/install-manifest.txt"
deb="$OUT/wvconsole_${version}_$debarch.deb"
dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$work/root" "$deb" >&2
echo "$tarball"
echo "$deb"
