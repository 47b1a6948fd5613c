/* highlight: code coloured at build time, with tree-sitter.
 *
 * The tree-sitter runtime and one grammar per language are compiled into
 * the binary (the Makefile takes them from the pinned npm packages in
 * generator/grammars/), with each grammar's queries/highlights.scm. A
 * block is parsed once; the query's captures ("keyword", "string.special",
 * "function.method"...) map to a small set of classes that the themes and
 * epub.css colour (highlight_class.h): keyword, string, comment, number,
 * function, type, variable, operator, constant, attribute, tag, property;
 * punctuation keeps the text's colour.
 *
 * The markup: text escaped as markdown_xhtml_escape() writes it, which
 * HTML and XHTML read alike, and <span class="k"> (the class's short
 * name) around each coloured run; the EPUB takes it without the
 * variables' spans (highlight_markup_epub()).
 *
 * Languages: bash, c, cpp, css, go, html, java, javascript, json, python,
 * rust, typescript, yaml; and the aliases sh, shell, zsh, js, ts, py,
 * c++, yml, and console: a terminal session, where a line starting with
 * "$ " is a command (with the lines its trailing backslashes continue),
 * written as <span class="hl-prompt">$ </span><span class="hl-cmd">
 * (the command, highlighted as bash)</span>; the other lines are output,
 * written plain.
 *
 * Thread safety: the compiled queries are shared, made on first use
 * under a lock; a struct highlighter is one thread's. */
#ifndef STEPBOOK_HIGHLIGHT_H
#define STEPBOOK_HIGHLIGHT_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct highlighter;

/* Code longer than this is written plain. */
#define HIGHLIGHT_MAX_BYTES (1u << 20)

/* The language named by the first word of a fenced block's info string
 * `info` (any case: "Python", "py {hl_lines=2}"), as the name
 * highlight_code() takes ("python", "console"), or NULL when it names
 * none stepbook knows (the block stays plain text). Borrowed, static. */
const char *highlight_language(const char *info);

/* A parser for one thread. Free with highlighter_free(). */
struct highlighter *highlighter_new(void);
void highlighter_free(struct highlighter *h);

/* With `on`, h finds what the queries capture with tree-sitter's query
 * cursor rather than with stepbook's matcher (ts_match.h): the same
 * colours, more slowly. For the tests, which check one against the
 * other. */
void highlighter_use_cursor(struct highlighter *h, int on);

/* Appends `code` (`len` bytes) in `lang` (a name highlight_language()
 * returned) as escaped text with <span class="hl-..."> around the
 * coloured runs. Where the grammar met a syntax error, the error's region
 * is written plain; code over HIGHLIGHT_MAX_BYTES is all plain. Returns 1
 * when the code had syntax errors, else 0. */
int highlight_code(struct highlighter *h, const char *lang, const char *code,
		   size_t len, struct buf *out);

/* The compiled-in grammars, for tests: how many; the name of the i-th;
 * its ABI version; the range of versions the runtime accepts. */
size_t highlight_n_grammars(void);
const char *highlight_grammar_name(size_t i);
unsigned highlight_grammar_abi(size_t i);
void highlight_abi_range(unsigned *min, unsigned *max);

/* Compiles the i-th grammar's query (once; later calls return the first
 * result). Returns 0, or -1 when its highlights.scm does not compile
 * against the grammar, with the byte offset of the error in *err_at. */
int highlight_grammar_check(size_t i, unsigned *err_at);

/* The grammars' queries compiled ahead, when stepbook is built: the
 * build's highlight_images.c, which highlight_image_gen writes (a query
 * takes up to tens of ms to compile, in every process that highlights
 * its language). One is taken at run time only when its `key` is that
 * of the query source and grammar compiled in beside it; else the query
 * is compiled from its source. */
struct highlight_image {
	const char *name; /* the grammar's, as highlight_grammar_name() */
	uint64_t key;
	const unsigned char *data; /* ts_query_image()'s bytes */
	size_t len;
};
extern const struct highlight_image highlight_images[];
extern const size_t highlight_images_count;

/* Compiles the i-th grammar's query from its source (never from an
 * image): sets *key, and *image (malloc()ed, *len bytes) to the image
 * of the result. Returns 0, or -1 when it does not compile. */
int highlight_query_image(size_t i, uint64_t *key, unsigned char **image,
			  size_t *len);
/* Whether the i-th grammar's query, compiled as
 * highlight_grammar_check() does, was taken from its image. */
int highlight_grammar_ahead(size_t i);

/* Whether the i-th grammar's query is matched by stepbook's matcher
 * (ts_match.h), not by tree-sitter's query cursor. */
int highlight_grammar_matched(size_t i);

#endif
