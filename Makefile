# stepbook: build the tool, build the book, test, install.
#
#   make          build build/stepbook and the book in content/ into output/
#   make test     the whole test suite
#   make install  install the binary and stepbook(1) (PREFIX, DESTDIR)

PREFIX ?= /usr/local
BENCH_SIZES ?= 100 1000 10000
BENCH_RUNS ?= 5
DESTDIR ?=
CC ?= cc
CFLAGS ?= -O2 -g
PKGS := libcmark-gfm libxml-2.0 libzip libdeflate yaml-0.1 json-c libmicrohttpd \
	librsvg-2.0 cairo
# opened when needed (dlopen), not linked: see serve.c and cover.c
DLOPENED := libmicrohttpd librsvg-2.0 cairo
WARN := -std=c11 -Wall -Wextra -pedantic -Wstrict-prototypes \
	-Wmissing-prototypes -Wshadow -Wformat=2 -Wwrite-strings -Wvla
WERROR ?= -Werror
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

B := build
DEPS_OK := $(B)/.deps-ok

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(filter-out $(DLOPENED),$(PKGS)) \
	2>/dev/null)
# soname PKG LIB: the SONAME of the library LIB.so of package PKG
soname = $(shell objdump -p \
	"$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(2).so" \
	2>/dev/null | awk '$$1 == "SONAME" { print $$2 }')
MHD_SONAME = $(call soname,libmicrohttpd,libmicrohttpd)
RSVG_SONAME = $(call soname,librsvg-2.0,librsvg-2)
ALL_CFLAGS = $(WARN) $(WERROR) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	-DSTEPBOOK_VERSION='"$(VERSION)"' -Igenerator -I$(B) $(PKG_CFLAGS) \
	$(if $(MHD_SONAME),-DSTEPBOOK_MHD_SONAME='"$(MHD_SONAME)"') \
	$(if $(RSVG_SONAME),-DSTEPBOOK_RSVG_SONAME='"$(RSVG_SONAME)"') \
	$(CFLAGS) -MMD -MP
LIBS = $(PKG_LIBS) -lm -lpthread

HOST_TOOLS := generator/embed_themes.c
LIB_SRCS := $(filter-out generator/main.c $(HOST_TOOLS),$(wildcard generator/*.c))
LIB_OBJS := $(LIB_SRCS:generator/%.c=$(B)/obj/%.o) $(B)/obj/themes_data.o
THEME_FILES := $(shell find themes -type f 2>/dev/null | LC_ALL=C sort)
# the book `stepbook init` writes, compiled in beside the themes
STARTER_FILES := $(shell find starter -type f 2>/dev/null | LC_ALL=C sort)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

.PHONY: all tool book test unit deps clean install uninstall check-book bench

all: book

tool: $(B)/stepbook

book: $(B)/stepbook
	$(B)/stepbook build

$(DEPS_OK): .ci/deps
	@mkdir -p $(B)
	@sh .ci/deps build
	@touch $@

$(B)/obj/%.o: generator/%.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/embed_themes: generator/embed_themes.c $(DEPS_OK)
	@mkdir -p $(B)
	$(CC) $(WARN) $(WERROR) $(CFLAGS) -D_POSIX_C_SOURCE=200809L $< -o $@

$(B)/themes_data.c: $(B)/embed_themes $(THEME_FILES) $(STARTER_FILES)
	$(B)/embed_themes $(THEME_FILES) $(STARTER_FILES) > $@.tmp && mv $@.tmp $@

$(B)/obj/themes_data.o: $(B)/themes_data.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(B)/libstepbook.a: $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/stepbook: $(B)/obj/main.o $(B)/libstepbook.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

$(B)/tests/harness.o: tests/unit/harness.c tests/unit/harness.h $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/tests/test_%: tests/unit/test_%.c $(B)/tests/harness.o $(B)/libstepbook.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $< $(B)/tests/harness.o \
		$(B)/libstepbook.a $(LIBS) -o $@

unit: $(UNIT_BINS)
	@status=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || status=1; done; exit $$status

test: $(B)/stepbook $(UNIT_BINS)
	@sh .ci/deps test
	@sh tests/run_all.sh

bench: $(B)/stepbook
	@sh .ci/deps bench
	@sh tests/bench/run.sh "$(BENCH_SIZES)" $(BENCH_RUNS)

install: $(B)/stepbook
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(B)/stepbook $(DESTDIR)$(PREFIX)/bin/stepbook
	install -m 644 generator/stepbook.1 $(DESTDIR)$(PREFIX)/share/man/man1/stepbook.1

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/stepbook $(DESTDIR)$(PREFIX)/share/man/man1/stepbook.1

clean:
	rm -rf $(B) output

-include $(wildcard $(B)/obj/*.d $(B)/tests/*.d)

-include tests/robustness.mk
