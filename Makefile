# stepbook: build the tool, build the book, test, install.
#
#   make          build build/stepbook and the book in content/ into output/
#   make test     the whole test suite
#   make install  install the binary and stepbook(1) (PREFIX, DESTDIR)
#   make portable build with the POSIX fallbacks of compat.h only
#                 (PORTABLE=1) into build-portable/, check that no Linux
#                 call is left, and run the tests that must pass there
#   make format-check  fail if clang-format (.clang-format) would change a
#                 C file; make format rewrites them

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
# PORTABLE=1: the fallbacks of compat.c, and nothing beyond POSIX and XSI
# declared, so that a Linux or glibc call made outside compat.c does not
# compile
PORTABLE ?=
PORTABLE_B ?= build-portable
ifeq ($(PORTABLE),1)
FEATURES := -D_XOPEN_SOURCE=700 -DSTEPBOOK_PORTABLE
B ?= $(PORTABLE_B)
else
FEATURES := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
endif
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

B ?= build
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
ALL_CFLAGS = $(WARN) $(WERROR) $(FEATURES) -DSTEPBOOK_VERSION='"$(VERSION)"' $(GEN_INCLUDES) -I$(B) $(PKG_CFLAGS) \
	-I$(TS_LIB)/include \
	$(if $(MHD_SONAME),-DSTEPBOOK_MHD_SONAME='"$(MHD_SONAME)"') \
	$(if $(RSVG_SONAME),-DSTEPBOOK_RSVG_SONAME='"$(RSVG_SONAME)"') \
	$(CFLAGS) -MMD -MP
LIBS = $(PKG_LIBS) -lm -lpthread

# generator/'s folders, each a layer, from the bottom up: a module
# includes the headers of its own folder and of the folders before it
# (tests/layers.sh checks it). Headers are included by name alone.
GEN_DIRS := core tmpl markdown book xform render load incremental site \
	epub cli
GEN_INCLUDES := $(GEN_DIRS:%=-Igenerator/%)
HOST_TOOLS := generator/core/embed_themes.c generator/markdown/highlight_image_gen.c
# the tree-sitter runtime's unit (ts_runtime.c), built as third-party C,
# and the files it includes after the runtime's own
TS_UNIT := generator/markdown/ts_runtime.c
TS_PARTS := generator/markdown/ts_query_image.c generator/markdown/ts_match.c
LIB_SRCS := $(filter-out generator/cli/main.c $(HOST_TOOLS) $(TS_UNIT) \
	$(TS_PARTS), \
	$(foreach d,$(GEN_DIRS),$(wildcard generator/$(d)/*.c)))
LIB_OBJS := $(LIB_SRCS:generator/%.c=$(B)/obj/%.o) $(B)/obj/themes_data.o
THEME_FILES := $(shell find themes -type f 2>/dev/null | LC_ALL=C sort)
# the book `stepbook init` writes, compiled in beside the themes
STARTER_FILES := $(shell find starter -type f 2>/dev/null | LC_ALL=C sort)
# the language packs (i18n.h), compiled in beside the themes too
I18N_FILES := $(shell find i18n -type f -name '*.yml' 2>/dev/null | LC_ALL=C sort)
# The code highlighter's tree-sitter runtime and grammars (highlight.h),
# from the pinned npm packages of generator/grammars/, which .ci/deps build
# installs with npm ci: NAME:FOLDER:FILES, FOLDER under GRAMMAR_DIR holding
# src/FILES.c; each grammar's queries/highlights.scm is compiled in too.
GRAMMAR_DIR := generator/grammars/node_modules
TS_LIB := $(GRAMMAR_DIR)/tree-sitter/vendor/tree-sitter/lib
GRAMMARS := bash:tree-sitter-bash:parser,scanner c:tree-sitter-c:parser \
	cpp:tree-sitter-cpp:parser,scanner css:tree-sitter-css:parser,scanner \
	go:tree-sitter-go:parser html:tree-sitter-html:parser,scanner \
	java:tree-sitter-java:parser \
	javascript:tree-sitter-javascript:parser,scanner \
	json:tree-sitter-json:parser python:tree-sitter-python:parser,scanner \
	rust:tree-sitter-rust:parser,scanner \
	typescript:tree-sitter-typescript/typescript:parser,scanner \
	yaml:@tree-sitter-grammars/tree-sitter-yaml:parser,scanner
HL_QUERIES := $(foreach g,bash c cpp css go html java javascript json python \
	rust typescript,$(GRAMMAR_DIR)/tree-sitter-$(g)/queries/highlights.scm) \
	$(GRAMMAR_DIR)/tree-sitter-javascript/queries/highlights-jsx.scm \
	$(GRAMMAR_DIR)/@tree-sitter-grammars/tree-sitter-yaml/queries/highlights.scm
# third-party C: its own dialect, its warnings not ours; its string
# literals its own too, for the linker not to serve ours from among the
# grammars' tables, which a build without code then reads into memory
TS_CFLAGS = -std=gnu11 -w -D_DEFAULT_SOURCE -fno-merge-constants $(CFLAGS)
g_name = $(word 1,$(subst :, ,$(1)))
g_dir = $(GRAMMAR_DIR)/$(word 2,$(subst :, ,$(1)))/src
g_files = $(subst $(comma), ,$(word 3,$(subst :, ,$(1))))
comma := ,
GRAMMAR_OBJS := $(foreach g,$(GRAMMARS),$(foreach f,$(call g_files,$(g)),\
	$(B)/ts/$(call g_name,$(g))-$(f).o)) $(B)/ts/runtime.o
GRAMMAR_SRCS := $(foreach g,$(GRAMMARS),$(foreach f,$(call g_files,$(g)),\
	$(call g_dir,$(g))/$(f).c)) $(TS_LIB)/src/lib.c
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)

# The C files clang-format keeps in shape.
FORMAT_SRCS := $(foreach d,$(GEN_DIRS),$(wildcard generator/$(d)/*.[ch])) \
	$(wildcard tests/unit/*.[ch] tests/fuzz/*.c)

.PHONY: all tool book test unit deps clean install uninstall check-book bench \
	portable format format-check print-includes print-libs

all: book

tool: $(B)/stepbook

book: $(B)/stepbook
	$(B)/stepbook build

$(DEPS_OK): .ci/deps generator/grammars/package-lock.json
	@mkdir -p $(B)
	@sh .ci/deps build
	@touch $@

$(B)/obj/%.o: generator/%.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/embed_themes: generator/core/embed_themes.c $(DEPS_OK)
	@mkdir -p $(B)
	$(CC) $(WARN) $(WERROR) $(CFLAGS) -D_POSIX_C_SOURCE=200809L $< -o $@

$(B)/themes_data.c: $(B)/embed_themes $(THEME_FILES) $(STARTER_FILES) $(I18N_FILES)
	$(B)/embed_themes $(THEME_FILES) $(STARTER_FILES) $(I18N_FILES) > $@.tmp && mv $@.tmp $@

# what this build is made from, for the keys of the build cache
# (build_id.h): a hash of every file whose bytes reach an output. Made
# again at each make, and replaced only when it changed.
ID_FILES := VERSION Makefile generator/grammars/package-lock.json \
	$(shell find generator -name node_modules -prune -o -type f \
		-name '*.[ch]' -print 2>/dev/null | LC_ALL=C sort) \
	$(THEME_FILES) $(STARTER_FILES) $(I18N_FILES)
ID_HASH := $(if $(shell command -v sha256sum),sha256sum,cksum)
$(B)/build_sources.h: $(ID_FILES) $(HL_QUERIES)
	@mkdir -p $(B)
	@printf '#define STEPBOOK_SOURCES "%s"\n' \
		"$$(cat $^ | $(ID_HASH) | cut -d' ' -f1)" >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(B)/obj/core/build_id.o: $(B)/build_sources.h

$(B)/obj/themes_data.o: $(B)/themes_data.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

# the npm packages' files are there once .ci/deps has run
$(GRAMMAR_SRCS) $(HL_QUERIES): | $(DEPS_OK) ;

define grammar_rules
$(B)/ts/$(call g_name,$(1))-%.o: $(call g_dir,$(1))/%.c $(DEPS_OK)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(TS_CFLAGS) -I$(call g_dir,$(1)) -c $$< -o $$@
endef
$(foreach g,$(GRAMMARS),$(eval $(call grammar_rules,$(g))))

# the runtime, with what reads its private structures (ts_runtime.c)
$(B)/ts/runtime.o: $(TS_UNIT) $(TS_PARTS) $(TS_LIB)/src/lib.c \
		$(TS_PARTS:.c=.h) $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(TS_CFLAGS) -I$(TS_LIB)/src -I$(TS_LIB)/include -Igenerator/core \
		-c $< -o $@

$(B)/highlight_queries.c: $(B)/embed_themes $(HL_QUERIES)
	$(B)/embed_themes -s highlight_queries $(HL_QUERIES) > $@.tmp && mv $@.tmp $@

$(B)/obj/highlight_queries.o: $(B)/highlight_queries.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

# the queries compiled ahead (highlight.h), by a program made of the
# same objects, this build's
$(B)/highlight_image_gen: $(B)/obj/markdown/highlight_image_gen.o $(LIB_OBJS) \
		$(B)/obj/highlight_queries.o $(GRAMMAR_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

$(B)/highlight_images.c: $(B)/highlight_image_gen
	$(B)/highlight_image_gen > $@.tmp && mv $@.tmp $@

$(B)/obj/highlight_images.o: $(B)/highlight_images.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/libstepbook.a: $(LIB_OBJS) $(B)/obj/highlight_queries.o \
		$(B)/obj/highlight_images.o $(GRAMMAR_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/stepbook: $(B)/obj/cli/main.o $(B)/libstepbook.a
	$(CC) $(CFLAGS) $(LDFLAGS) $^ $(LIBS) -o $@

TEST_OBJS := $(B)/tests/harness.o $(B)/tests/fixture.o

$(TEST_OBJS): $(B)/tests/%.o: tests/unit/%.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -c $< -o $@

$(B)/tests/test_%: tests/unit/test_%.c $(TEST_OBJS) $(B)/libstepbook.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit $< $(TEST_OBJS) \
		$(B)/libstepbook.a $(LIBS) -o $@

unit: $(UNIT_BINS)
	@status=0; for t in $(UNIT_BINS); do echo "== $$t"; $$t || status=1; done; exit $$status

test: $(B)/stepbook $(UNIT_BINS)
	@sh .ci/deps test
	@sh tests/run_all.sh

portable:
	@$(MAKE) --no-print-directory PORTABLE=1 B=$(PORTABLE_B) \
		$(PORTABLE_B)/stepbook \
		$(UNIT_SRCS:tests/unit/%.c=$(PORTABLE_B)/tests/%)
	@sh .ci/deps test
	@sh tests/portable.sh $(PORTABLE_B) $(if $(wildcard $(B)/stepbook),$(B))

# the -I flags of generator/'s folders, for what builds outside this
# Makefile (tests/fuzz/run.sh)
print-includes:
	@echo $(GEN_INCLUDES)

# the libraries the tool links with, for tests/cli/test_build_id.sh
print-libs:
	@echo $(LIBS)

format-check:
	@sh .ci/deps format
	@status=0; for f in $(FORMAT_SRCS); do \
		clang-format "$$f" | diff -u "$$f" - || status=1; \
	done; \
	if [ $$status != 0 ]; then echo "format-check: run make format" >&2; fi; \
	exit $$status

format:
	@sh .ci/deps format
	clang-format -i $(FORMAT_SRCS)

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

-include $(wildcard $(B)/obj/*/*.d $(B)/tests/*.d)

-include tests/robustness.mk
