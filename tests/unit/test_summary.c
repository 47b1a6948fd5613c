/* Unit tests for summary: each form of mdBook's SUMMARY.md (its guide's
 * format/summary.md) read into the flat list, numbering across parts and
 * separators, drafts, comments, and the mistakes that are errors at
 * SUMMARY.md:line:col. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "harness.h"
#include "markdown.h"
#include "summary.h"

/* One line per entry: "P|N|S kind depth number title -> path". */
static void dump(const struct summary *s, struct buf *out)
{
	static const char sec[] = "PNS";
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct summary_item *it = &s->v[i];

		buf_addf(out, "%c ", sec[it->section]);
		if (it->kind == SUMMARY_SEPARATOR) {
			buf_addf(out, "--- %d\n", it->depth);
			continue;
		}
		if (it->kind == SUMMARY_PART) {
			buf_addf(out, "# %s\n", it->title);
			continue;
		}
		buf_addf(out, "%d %s%s%s -> %s @%d:%d\n", it->depth,
			 it->number ? it->number : "", it->number ? " " : "",
			 it->title, it->path ? it->path : "(draft)", it->line,
			 it->col);
	}
}

static void check_list(const char *text, const char *title, const char *want)
{
	struct summary s;
	struct diag d;
	struct buf got = BUF_INIT;

	diag_init(&d);
	CHECK_INT(summary_parse(text, strlen(text), "SUMMARY.md", &s, &d), 0);
	if (d.n)
		diag_print(&d, stderr);
	CHECK_INT(d.n, 0);
	dump(&s, &got);
	CHECK_STR(got.ptr, want);
	if (title)
		CHECK_STR(s.title, title);
	else
		CHECK(s.title == NULL);
	buf_release(&got);
	summary_release(&s);
	diag_release(&d);
}

static void check_error(const char *text, const char *want)
{
	struct summary s;
	struct diag d;
	struct buf got = BUF_INIT;

	diag_init(&d);
	CHECK_INT(summary_parse(text, strlen(text), "SUMMARY.md", &s, &d), -1);
	CHECK_INT(d.errors, 1);
	if (d.n)
		buf_addf(&got, "%d:%d: %s", d.v[0].line, d.v[0].col,
			 d.v[0].msg);
	CHECK_STR(got.ptr, want);
	CHECK(d.n && d.v[0].source != NULL);
	buf_release(&got);
	summary_release(&s);
	diag_release(&d);
}

static void test_every_form(void)
{
	check_list("# Contents\n"
		   "\n"
		   "[Foreword](foreword.md)\n"
		   "[Read me first](./first.md)\n"
		   "\n"
		   "---\n"
		   "\n"
		   "# Getting started\n"
		   "\n"
		   "- [Setup](start/README.md)\n"
		   "    - [On Linux](start/linux.md)\n"
		   "        - [Not yet]()\n"
		   "    - [On *macOS*](start/mac.md)\n"
		   "- [First steps](steps.md)\n"
		   "\n"
		   "# Going further\n"
		   "\n"
		   "* [Tips](tips.md)\n"
		   "\n"
		   "-----------\n"
		   "\n"
		   "[Thanks](thanks.md)\n"
		   "[Later]()\n",
		   "Contents",
		   "P 0 Foreword -> foreword.md @3:1\n"
		   "P 0 Read me first -> first.md @4:1\n"
		   "P --- 0\n"
		   "N # Getting started\n"
		   "N 0 1. Setup -> start/README.md @10:3\n"
		   "N 1 1.1. On Linux -> start/linux.md @11:7\n"
		   "N 2 1.1.1. Not yet -> (draft) @12:11\n"
		   "N 1 1.2. On macOS -> start/mac.md @13:7\n"
		   "N 0 2. First steps -> steps.md @14:3\n"
		   "N # Going further\n"
		   "N 0 3. Tips -> tips.md @18:3\n"
		   "N --- 0\n"
		   "S 0 Thanks -> thanks.md @22:1\n"
		   "S 0 Later -> (draft) @23:1\n");
}

static void test_mdbook_cases(void)
{
	/* no title; numbering goes on past a comment and a sub-heading */
	check_list("- [One](./one.md)\n<!-- a comment -->\n- [Two](./two.md)\n"
		   "\n## Aside\n\n- [Three](three.md)\n",
		   NULL,
		   "N 0 1. One -> one.md @1:3\n"
		   "N 0 2. Two -> two.md @3:3\n"
		   "N 0 3. Three -> three.md @7:3\n");
	/* a title broken over lines, spaces in the file name */
	check_list("# My **Great** Book\n\n- [A long\ntitle](./a%20b.md)\n"
		   "- [C](<./c d.md>)\n",
		   "My Great Book",
		   "N 0 1. A long title -> a b.md @3:3\n"
		   "N 0 2. C -> c d.md @5:3\n");
	/* a comment before the title */
	check_list("<!-- note -->\n# Summary\n[Only](only.md)\n", "Summary",
		   "P 0 Only -> only.md @3:1\n");
	check_list("", NULL, "");
}

static void test_errors(void)
{
	check_error("- Title\n",
		    "1:3: a numbered chapter must be a link and nothing else, "
		    "as in '- [Title](file.md)'");
	check_error("- [A](a.md)\n\n[B](b.md)\n\n- [C](c.md)\n",
		    "5:1: list after the suffix chapters (a paragraph of links "
		    "ends the numbered chapters)");
	check_error("- [A](a.md)\n\n[B](b.md)\n\n# Part\n",
		    "5:1: part title after the suffix chapters (a paragraph of "
		    "links ends the numbered chapters)");
	check_error("[A](./a.md)\n- [B](b.md)\n  - [Again](a.md)\n",
		    "3:5: chapter 'a.md' is listed twice");
	check_error("- [Web](https://example.com/x.md)\n",
		    "1:3: chapter 'https://example.com/x.md' is a web address, "
		    "not a file of the book");
	check_error("- [Up](../outside.md)\n",
		    "1:3: chapter '../outside.md' is not a file within the "
		    "book's source folder");
	check_error("- [A](a.md)\n\n  More text\n",
		    "3:3: only a list of chapters may follow a chapter's link in "
		    "its item");
}

static void test_warning(void)
{
	struct summary s;
	struct diag d;
	const char *text = "Some words [A](a.md)\n";

	diag_init(&d);
	CHECK_INT(summary_parse(text, strlen(text), "SUMMARY.md", &s, &d), 0);
	CHECK_INT(d.errors, 0);
	CHECK_INT(d.warnings, 1);
	CHECK_INT(s.n, 1);
	summary_release(&s);
	diag_release(&d);
}

int main(void)
{
	markdown_init();
	RUN(test_every_form);
	RUN(test_mdbook_cases);
	RUN(test_errors);
	RUN(test_warning);
	return harness_done();
}
