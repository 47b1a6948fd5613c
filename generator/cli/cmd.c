#include "cmd.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "build.h"
#include "compat.h"
#include "diag.h"
#include "fsutil.h"
#include "mdbook.h"
#include "outdir.h"
#include "output.h"
#include "serve.h"
#include "starter.h"
#include "theme.h"

struct opts {
	const char *dir;     /* -C */
	const char *out;     /* --out, default "output" */
	const char *theme;   /* --theme */
	const char *content; /* the book's sources: "content", or an mdBook
			      * book's source folder */
	const char *bind;    /* serve --bind */
	int port;            /* serve --port */
	int no_epub, no_site, quiet, verbose, strict, drafts;
	const char *args[3]; /* the words after the command */
	int n_args;
};

/* The port `serve` listens on when --port is not given. */
#define CMD_DEFAULT_PORT 8000
#define CMD_DEFAULT_PORT_TEXT "8000"

struct command {
	const char *name;
	int (*run)(const struct opts *o);
	const char *args;    /* what follows its name in --help, or "" */
	const char *summary; /* its line in --help */
	int max_args;        /* words it takes after its name */
	int in_book;         /* runs on the book in the current folder */
};

static int cmd_build(const struct opts *o);
static int cmd_check(const struct opts *o);
static int cmd_clean(const struct opts *o);
static int cmd_serve(const struct opts *o);
static int cmd_init(const struct opts *o);
static int cmd_theme(const struct opts *o);

static const struct command commands[] = {
	{ "build", cmd_build, "", "build the website and the EPUB into output/",
	  0, 1 },
	{ "check", cmd_check, "", "check the book for errors, writing nothing",
	  0, 1 },
	{ "clean", cmd_clean, "", "remove the output folder", 0, 1 },
	{ "serve", cmd_serve, "",
	  "build, serve the site and rebuild and reload on change", 0, 1 },
	{ "init", cmd_init, "[DIR]",
	  "write a small example book into DIR/content/ (default .)", 1, 0 },
	{ "theme", cmd_theme, "list|export NAME DIR",
	  "list the shipped themes, or copy theme NAME into DIR to start your "
	  "own (e.g. themes/mine)",
	  3, 0 },
};

static const char usage_head[] = "usage: stepbook [-C DIR] <command> [options]\n"
				 "\n"
				 "commands:\n";

static const char usage_tail[] =
	"\n"
	"options:\n"
	"  -C DIR       run as if started in DIR (its content/, themes/, output/)\n"
	"  --out DIR    write to DIR instead of output/\n"
	"  --theme NAME use theme NAME instead of book.yml's\n"
	"  --no-epub    do not write the EPUB\n"
	"  --no-site    do not write the website\n"
	"  --strict     treat warnings as errors (as book.yml's strict: true)\n"
	"  --drafts     include the chapters marked draft: true\n"
	"  --port N     serve: listen on port N (default " CMD_DEFAULT_PORT_TEXT
	"; 0 picks one)\n"
	"  --bind ADDR  serve: listen on ADDR (default 127.0.0.1)\n"
	"  -q, --quiet  print nothing but errors\n"
	"  -v, --verbose  list every file written, and where the time went\n"
	"  -h, --help   show this help\n"
	"  --version    show the version\n"
	"\n"
	"The book is read from content/: book.yml and the chapters (*.md).\n"
	"Exit status: 0 fine, 1 errors in the book, 2 usage errors.\n";

/* Prints --help: the commands come from the table. */
static void usage(FILE *f)
{
	size_t k;

	fputs(usage_head, f);
	for (k = 0; k < sizeof(commands) / sizeof(*commands); k++) {
		char head[64];
		snprintf(head, sizeof(head), "%s%s%s", commands[k].name,
			 *commands[k].args ? " " : "", commands[k].args);
		if (strlen(head) > 12)
			/* the summary on a line of its own */
			fprintf(f, "  %s\n  %-12s %s\n", head, "",
				commands[k].summary);
		else
			fprintf(f, "  %-12s %s\n", head, commands[k].summary);
	}
	fputs(usage_tail, f);
}

static int usage_error(const char *fmt, ...) COMPAT_PRINTF(1, 2);

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("stepbook: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	usage(stderr);
	return 2;
}

static void build_opts_from(const struct opts *o, struct build_opts *bo)
{
	memset(bo, 0, sizeof(*bo));
	bo->out = o->out;
	bo->content = o->content;
	bo->theme = o->theme;
	bo->no_epub = o->no_epub;
	bo->no_site = o->no_site;
	bo->verbose = o->verbose;
	bo->strict = o->strict;
	bo->drafts = o->drafts;
}

static int run_build(const struct opts *o, int check_only)
{
	struct build_opts bo;
	struct build_report r;
	struct diag d;
	int status = 0;

	build_opts_from(o, &bo);
	bo.check_only = check_only;
	bo.exiting = 1;
	/* a process that builds once and ends: its heaps grow in large
	 * steps (fewer brk and mprotect calls), are not trimmed back as
	 * blocks are freed, only to be grown again, and start in huge
	 * pages (fewer page faults). `serve`, which lives on, keeps
	 * glibc's defaults. */
	compat_malloc_for_one_build();
	diag_init(&d);
	build_book(&bo, &r, &d);
	diag_print(&d, stderr);
	if (d.errors) {
		fprintf(stderr, "stepbook: %zu error%s; ", d.errors,
			d.errors == 1 ? "" : "s");
		if (check_only)
			fputs("nothing to write\n", stderr);
		else if (r.unfinished)
			fprintf(stderr,
				"the build was committed; the next "
				"stepbook run finishes writing %s\n",
				o->out);
		else
			fprintf(stderr, "%s left as it was\n", o->out);
		status = 1;
	} else if (!o->quiet) {
		build_print_summary(&bo, &r);
	}
	diag_release(&d);
	return status;
}

static int cmd_build(const struct opts *o)
{
	return run_build(o, 0);
}

static int cmd_check(const struct opts *o)
{
	return run_build(o, 1);
}

static int cmd_serve(const struct opts *o)
{
	struct serve_opts so;

	memset(&so, 0, sizeof(so));
	build_opts_from(o, &so.build);
	so.bind = o->bind;
	so.port = o->port;
	so.quiet = o->quiet;
	return serve_run(&so);
}

static int cmd_init(const struct opts *o)
{
	const char *dir = o->n_args ? o->args[0] : ".";
	struct diag d;
	size_t n;
	int r;

	diag_init(&d);
	r = starter_write(dir, &n, &d);
	diag_print(&d, stderr);
	diag_release(&d);
	if (r < 0)
		return 1;
	if (!o->quiet) {
		fprintf(stderr,
			"stepbook: wrote a new book of %zu files into "
			"%s/content\n",
			n, dir);
		if (strcmp(dir, "."))
			fprintf(stderr,
				"stepbook: next: stepbook -C %s serve\n", dir);
		else
			fputs("stepbook: next: stepbook serve\n", stderr);
	}
	return 0;
}

static int cmd_theme(const struct opts *o)
{
	struct diag d;
	size_t n;
	int r;

	if (!o->n_args)
		return usage_error("%s", "theme: expected 'list' or "
					 "'export NAME DIR'");
	if (!strcmp(o->args[0], "list")) {
		struct buf list = BUF_INIT;
		size_t i;
		if (o->n_args > 1)
			return usage_error("unexpected argument '%s'",
					   o->args[1]);
		theme_list_shipped(&list);
		/* one a line */
		for (i = 0; i < list.len; i++)
			if (list.ptr[i] == ',' && list.ptr[i + 1] == ' ') {
				list.ptr[i] = '\n';
				memmove(list.ptr + i + 1, list.ptr + i + 2,
					list.len - i - 1);
				list.len--;
			}
		printf("%s\n", list.ptr);
		buf_release(&list);
		return 0;
	}
	if (strcmp(o->args[0], "export"))
		return usage_error("theme: unknown subcommand '%s': expected "
				   "'list' or 'export NAME DIR'",
				   o->args[0]);
	if (o->n_args != 3)
		return usage_error("%s",
				   "theme export: expected a theme name "
				   "and a folder, e.g. 'theme export default "
				   "themes/mine'");
	diag_init(&d);
	r = starter_export_theme(o->args[1], o->args[2], &n, &d);
	diag_print(&d, stderr);
	diag_release(&d);
	if (r < 0)
		return 1;
	if (!o->quiet)
		fprintf(stderr,
			"stepbook: copied the %s theme (%zu files) into "
			"%s\n",
			o->args[1], n, o->args[2]);
	return 0;
}

static int cmd_clean(const struct opts *o)
{
	struct diag d;
	struct stat st;
	int r;

	if (lstat(o->out, &st) < 0 && errno == ENOENT) {
		if (!o->quiet)
			fprintf(stderr,
				"stepbook: nothing to remove: no '%s'\n",
				o->out);
		return 0;
	}
	/* only what a build wrote: never a folder of someone's files
	 * named by mistake */
	if (!outdir_is_ours(o->out)) {
		fprintf(stderr,
			"stepbook: '%s' is not an output folder of "
			"stepbook (it has no %s): nothing removed\n",
			o->out, OUTDIR_MARKER);
		return 2;
	}
	diag_init(&d);
	r = output_clean(o->out, &d);
	diag_print(&d, stderr);
	diag_release(&d);
	if (r < 0)
		return 1;
	if (!o->quiet)
		fprintf(stderr, "stepbook: removed %s\n", o->out);
	return 0;
}

/* What cmd_args() returns when the command is to run. */
#define CMD_GO (-1)

/* Reads option `a`, which takes the value `v`, into `o`. Returns CMD_GO,
 * or the exit status of a usage error. */
static int cmd_option_value(struct opts *o, const char *a, const char *v)
{
	if (!strcmp(a, "-C")) {
		o->dir = v;
	} else if (!strcmp(a, "--out")) {
		o->out = v;
	} else if (!strcmp(a, "--bind")) {
		o->bind = v;
	} else if (!strcmp(a, "--port")) {
		char *end;
		long p = strtol(v, &end, 10);
		if (*end || p < 0 || p > UINT16_MAX || !*v)
			return usage_error("invalid port '%s'", v);
		o->port = (int)p;
	} else {
		o->theme = v;
	}
	return CMD_GO;
}

/* Reads the command line into `o` and *cmdp. Returns CMD_GO, or the
 * status to exit with (after --help, --version or a usage error). */
static int cmd_args(int argc, char **argv, struct opts *o,
		    const struct command **cmdp)
{
	const struct command *cmd = NULL;
	int i, r;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "--version")) {
			puts("stepbook " STEPBOOK_VERSION);
			return 0;
		} else if (!strcmp(a, "-C") || !strcmp(a, "--out") ||
			   !strcmp(a, "--theme") || !strcmp(a, "--port") ||
			   !strcmp(a, "--bind")) {
			if (i + 1 >= argc)
				return usage_error("option '%s' needs a value",
						   a);
			r = cmd_option_value(o, a, argv[++i]);
			if (r != CMD_GO)
				return r;
		} else if (!strncmp(a, "--out=", 6)) {
			o->out = a + 6;
		} else if (!strncmp(a, "--theme=", 8)) {
			o->theme = a + 8;
		} else if (!strcmp(a, "--no-epub")) {
			o->no_epub = 1;
		} else if (!strcmp(a, "--no-site")) {
			o->no_site = 1;
		} else if (!strcmp(a, "--strict")) {
			o->strict = 1;
		} else if (!strcmp(a, "--drafts")) {
			o->drafts = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->verbose = 1;
		} else if (a[0] == '-') {
			return usage_error("unknown option '%s'", a);
		} else if (!cmd) {
			for (k = 0; k < sizeof(commands) / sizeof(*commands);
			     k++)
				if (!strcmp(commands[k].name, a))
					cmd = &commands[k];
			if (!cmd)
				return usage_error("unknown command '%s'", a);
		} else if (o->n_args < cmd->max_args) {
			o->args[o->n_args++] = a;
		} else if (cmd->in_book && fs_is_dir(a)) {
			/* mdBook's habit: `build DIR` */
			return usage_error("unexpected argument '%s': did you "
					   "mean 'stepbook -C %s %s'?",
					   a, a, cmd->name);
		} else {
			return usage_error("unexpected argument '%s'", a);
		}
	}
	if (!cmd)
		return usage_error("%s", "no command given");
	if (!*o->out)
		return usage_error("%s", "empty --out folder");
	*cmdp = cmd;
	return CMD_GO;
}

/* Finds the book in the current folder for `cmd`: content/, or an
 * mdBook's sources (o->content then points to *mdbook_dir, the caller's
 * to free); and checks that the output folder is none of the book's.
 * Returns CMD_GO, or the status to exit with. */
static int cmd_find_book(struct opts *o, const struct command *cmd,
			 char **mdbook_dir)
{
	struct buf why = BUF_INIT;

	if (!fs_is_dir("content") && fs_is_file("book.toml")) {
		/* an mdBook book: its sources are book.toml's [book] src */
		struct diag d;
		int r;

		diag_init(&d);
		r = mdbook_src("book.toml", "book.toml", mdbook_dir, &d);
		diag_print(&d, stderr);
		diag_release(&d);
		if (r < 0)
			return 1;
		o->content = *mdbook_dir;
	} else if (!fs_is_dir("content") && fs_is_file("book.yml")) {
		/* -C book/content: the book is the folder above */
		const char *here = o->dir ? o->dir : ".";
		fprintf(stderr,
			"stepbook: '%s' holds a book.yml but no content/: "
			"it is a book's content/ folder; the book is the folder "
			"above it: stepbook -C %s/.. %s\n",
			here, here, cmd->name);
		return 2;
	}
	/* the output folder is written and cleaned whole: it must not be
	 * one of the book's */
	if (outdir_check(o->out, o->content, &why) < 0) {
		fprintf(stderr, "stepbook: %s\n", why.ptr);
		buf_release(&why);
		return 2;
	}
	return CMD_GO;
}

int cmd_main(int argc, char **argv)
{
	char *mdbook_dir = NULL;
	int rc;
	struct opts o;
	const struct command *cmd = NULL;

	/* libzip turns each EPUB entry's DOS time into a time_t and back
	 * with mktime() and localtime(): in the machine's zone an hour that
	 * daylight saving skips comes out an hour later, so the EPUB's
	 * bytes would depend on the zone. In UTC the round trip is exact
	 * (and glibc, with TZ set, stops looking at /etc/localtime at each
	 * of those calls, twice per entry). Nothing stepbook writes shows a
	 * local time. */
	setenv("TZ", "UTC0", 1);
	tzset();
	memset(&o, 0, sizeof(o));
	o.out = "output";
	o.content = "content";
	o.bind = "127.0.0.1";
	o.port = CMD_DEFAULT_PORT;
	rc = cmd_args(argc, argv, &o, &cmd);
	if (rc != CMD_GO)
		return rc;
	if (o.dir && chdir(o.dir) < 0) {
		fprintf(stderr, "stepbook: cannot change to '%s': %s\n", o.dir,
			strerror(errno));
		return 2;
	}
	if (!cmd->in_book)
		return cmd->run(&o);
	rc = cmd_find_book(&o, cmd, &mdbook_dir);
	if (rc == CMD_GO)
		rc = cmd->run(&o);
	free(mdbook_dir);
	return rc;
}
