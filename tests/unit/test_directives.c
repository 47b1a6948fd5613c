/* Unit tests for directives: {{#include}} whole, by line ranges and by
 * anchors, {{#rustdoc_include}}, {{#playground}}, {{#title}}, escapes,
 * includes inside includes and inside list items, what is left for the
 * Markdown pass, and the errors: a missing file, anchor or range, a path
 * leaving the book, an include of itself. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "directives.h"
#include "fsutil.h"
#include "harness.h"

static char root[] = "/tmp/stepbook-directives-XXXXXX";

static void put(const char *name, const char *text)
{
	struct buf p = BUF_INIT;
	struct diag d;

	diag_init(&d);
	buf_addf(&p, "%s/%s", root, name);
	CHECK(fs_write_atomic(p.ptr, text, strlen(text), NULL, &d) == 0);
	buf_release(&p);
	diag_release(&d);
}

/* Expands `text` as the chapter src/ch/page.md; checks the result, or
 * the first error when `err` is set. */
static void check(const char *text, const char *want, const char *err)
{
	struct buf out = BUF_INIT, got = BUF_INIT;
	struct directives res;
	struct diag d;
	int r;

	diag_init(&d);
	r = directives_expand(text, strlen(text), root, "ch/page.md",
			      "src/ch/page.md", 2, &out, &res, &d);
	if (err) {
		CHECK_INT(r, -1);
		if (d.n)
			buf_addf(&got, "%d:%d: %s", d.v[0].line, d.v[0].col,
				 d.v[0].msg);
		CHECK_STR(got.ptr, err);
	} else {
		if (d.n)
			diag_print(&d, stderr);
		CHECK_INT(r, 0);
		CHECK_STR(out.ptr, want);
	}
	buf_release(&out);
	buf_release(&got);
	directives_release(&res);
	diag_release(&d);
}

static void test_include(void)
{
	check("a\n{{#include code/main.rs}}\nb\n",
	      "a\nfn main() {\n    // ANCHOR: body\n    go();\n    // "
	      "ANCHOR_END: body\n}\nb\n",
	      NULL);
	check("{{#include code/main.rs:2}}|", "    // ANCHOR: body|", NULL);
	check("{{#include code/main.rs:2:3}}|",
	      "    // ANCHOR: body\n    go();|", NULL);
	check("{{#include code/main.rs:4:}}|", "    // ANCHOR_END: body\n}|",
	      NULL);
	check("{{#include code/main.rs::1}}|", "fn main() {|", NULL);
	check("{{#include code/main.rs:body}}|", "    go();|", NULL);
	check("{{ #include  ../ch/code/main.rs:body }}|", "    go();|", NULL);
	/* anchors nested in the one taken are left out as lines */
	check("{{#include nest.txt:outer}}", "one\ntwo", NULL);
	check("{{#include nest.txt:inner}}", "two", NULL);
}

static void test_other_directives(void)
{
	check("{{#rustdoc_include code/main.rs:body}}",
	      "# fn main() {\n    go();\n# }", NULL);
	check("{{#rustdoc_include code/main.rs:3}}",
	      "# fn main() {\n#     // ANCHOR: body\n    go();\n#     // "
	      "ANCHOR_END: body\n# }",
	      NULL);
	check("{{#playground code/small.rs editable}}\nafter\n",
	      "```rust,editable\nfn f() {}\n```\nafter\n", NULL);
	check("{{#playground code/small.rs}}", "```rust\nfn f() {}\n```", NULL);
	check("\\{{#include code/main.rs}} stays\n",
	      "{{#include code/main.rs}} stays\n", NULL);
	/* left for the Markdown pass: {{#toc}}, unknown names, braces */
	check("{{#toc}}\n{{#each items}}\n{{ not }}\n",
	      "{{#toc}}\n{{#each items}}\n{{ not }}\n", NULL);
}

static void test_title_and_files(void)
{
	const char *text = "{{#title A Better Title}}\n# Page\n"
			   "{{#include part.md}}\n";
	struct buf out = BUF_INIT;
	struct directives res;
	struct diag d;

	diag_init(&d);
	CHECK_INT(directives_expand(text, strlen(text), root, "ch/page.md",
				    "src/ch/page.md", 0, &out, &res, &d),
		  0);
	CHECK_STR(out.ptr, "\n# Page\nPart with fn f() {}\n");
	CHECK_STR(res.title, "A Better Title");
	CHECK_INT(res.n_files, 2);
	if (res.n_files == 2) {
		CHECK_STR(res.files[0], "ch/part.md");
		CHECK_STR(res.files[1], "ch/code/small.rs");
	}
	buf_release(&out);
	directives_release(&res);
	diag_release(&d);
}

static void test_prefix(void)
{
	/* an include inside a list item or a quote stays inside it */
	check("- item\n  {{#include two.txt}}\n> {{#include two.txt}}\n",
	      "- item\n  first\n  second\n> first\n> second\n", NULL);
}

static void test_errors(void)
{
	check("x\n  {{#include gone.md}}\n", NULL,
	      "4:3: cannot include 'gone.md': no such file");
	check("{{#include code/main.rs:nope}}", NULL,
	      "3:1: no anchor 'nope' in 'code/main.rs'");
	check("{{#include code/main.rs:40}}", NULL,
	      "3:1: 'code/main.rs' has no line 40 (the range is past its end)");
	check("{{#include ../../etc/passwd}}", NULL,
	      "3:1: '../../etc/passwd' is outside the book's source folder");
	check("{{#include /etc/passwd}}", NULL,
	      "3:1: '/etc/passwd' is outside the book's source folder");
	check("{{#include self.md}}", NULL,
	      "1:1: includes nested more than 10 deep (does a file include "
	      "itself?)");
}

int main(void)
{
	struct buf rm = BUF_INIT;

	if (!mkdtemp(root))
		return 1;
	put("ch/code/main.rs", "fn main() {\n    // ANCHOR: body\n    go();\n"
			       "    // ANCHOR_END: body\n}\n");
	put("ch/code/small.rs", "fn f() {}");
	put("ch/nest.txt", "ANCHOR: outer\none\nANCHOR: inner\ntwo\n"
			   "ANCHOR_END: inner\nANCHOR_END: outer\nthree\n");
	put("ch/two.txt", "first\nsecond\n");
	put("ch/part.md", "Part with {{#include code/small.rs}}\n");
	put("ch/self.md", "{{#include self.md}}\n");
	RUN(test_include);
	RUN(test_other_directives);
	RUN(test_title_and_files);
	RUN(test_prefix);
	RUN(test_errors);
	fs_remove_tree(root);
	buf_release(&rm);
	return harness_done();
}
