# wvconsole — build, install and package. See README "Install".
#   make                      release build (static Swift runtime)
#   make install PREFIX=/usr/local DESTDIR=
#   make uninstall PREFIX=/usr/local DESTDIR=
#   make package              dist/wvconsole-VERSION-linux-x86_64.tar.gz and .deb
#   make test                 swift test (what CI runs)
PREFIX ?= /usr/local
DESTDIR ?=
CONFIG ?= release

.PHONY: all build install uninstall package test clean-dist
all: build

build:
	swift build -c $(CONFIG) $(if $(filter release,$(CONFIG)),--static-swift-stdlib) --product wvconsole
	swift build -c $(CONFIG) $(if $(filter release,$(CONFIG)),--static-swift-stdlib) --product wvsim

install:
	scripts/install.sh install PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" CONFIG="$(CONFIG)"

uninstall:
	scripts/install.sh uninstall PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)"

package:
	scripts/package.sh

test:
	swift test

clean-dist:
	rm -rf dist
