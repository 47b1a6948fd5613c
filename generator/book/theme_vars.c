#include "theme_vars.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "slug.h"
#include "theme.h"
#include "tmpl.h"
#include "xalloc.h"

/* Keep in the order of the README's "Template variables". */
const struct theme_var theme_vars[] = {
	{ "book.title", "the book's title" },
	{ "book.subtitle", "its subtitle, or empty" },
	{ "book.author", "its author, or empty" },
	{ "book.description", "its description, or empty" },
	{ "book.language", "its language (BCP 47), default en" },
	{ "book.slug", "the slug of the title (the EPUB is SLUG.epub)" },
	{ "book.base_url", "base_url as written, or empty" },
	{ "book.url", "base_url ending in '/' (only when set)" },
	{ "book.cover", "the cover's URL within the site (when set)" },
	{ "book.image", "the cover's absolute URL (with base_url and cover)" },
	{ "book.epub", "the EPUB's file name in the site (unless --no-epub)" },
	{ "book.tasks", "task items in the whole book" },
	{ "book.tasks_text", "the same as text: \"1 action\", \"5 actions\"" },
	{ "book.dir",
	  "\"rtl\" when the book's language is written right to left" },
	{ "t.*",
	  "every interface string of the book's language pack, by key (i18n/en.yml)" },
	{ "book.extra_css", "list of URLs of book.yml's extra_css" },
	{ "book.extra_js", "list of URLs of book.yml's extra_js" },
	{ "book.params.*", "every key of book.yml, as written" },
	{ "chapters", "every chapter, in order" },
	{ "chapters[].title", "its title" },
	{ "chapters[].summary", "its summary, or empty" },
	{ "chapters[].href", "its page, \"02-grind.html\"" },
	{ "chapters[].slug", "its slug" },
	{ "chapters[].number", "its place in the book, from 1" },
	{ "chapters[].step", "its step: number (when set)" },
	{ "chapters[].step_label", "true when pages show \"Step N\"" },
	{ "chapters[].step_text",
	  "\"Step N\" in the book's language (with step_label)" },
	{ "chapters[].step_of_guide",
	  "\"Step N of the guide\" (with step_label)" },
	{ "chapters[].minutes", "reading time in minutes, at least 1" },
	{ "chapters[].minutes_read", "\"N min read\" in the book's language" },
	{ "chapters[].minutes_short", "\"N min\" in the book's language" },
	{ "chapters[].tasks", "its task items" },
	{ "chapters[].tasks_text", "the same as text" },
	{ "chapters[].current", "true for the chapter of the page (in nav)" },
	{ "chapters[].part", "the title of the part it opens (when it does)" },
	{ "chapters[].nested", "true for a chapter nested under another" },
	{ "chapters[].level", "a nested chapter's level, 2 under a top one" },
	{ "chapters[].separator", "true when a separator comes before it" },
	{ "nav", "the chapters the sidebar lists: chapters' entries" },
	{ "nav[].gap", "true for a gap in a long book's list" },
	{ "parts", "index.html: the chapters in their parts, in order" },
	{ "parts[].title", "the part's title (empty: chapters in no part)" },
	{ "parts[].chapters", "its chapters: chapters' entries" },
	{ "start", "the first chapter: title and href" },
	{ "start.title", "its title" },
	{ "start.href", "its page" },
	{ "generator", "\"stepbook\" and its version" },
	{ "theme.name", "the theme's name" },
	{ "theme.color", "manifest.json's theme_color (when set)" },
	{ "theme.color_dark", "manifest.json's theme_color_dark (when set)" },
	{ "url", "the page's absolute URL (with base_url)" },
	{ "root",
	  "\"../\" for each folder the page is in: put it before every URL within the site" },
	{ "og_type", "\"article\" for a chapter, else \"website\"" },
	{ "is_index", "true on index.html" },
	{ "is_chapter", "true on a chapter's page" },
	{ "is_checklist", "true on checklist.html" },
	{ "is_print", "true on print.html" },
	{ "is_404", "true on 404.html" },
	{ "multilingual", "true in a book with translations" },
	{ "languages",
	  "in a book with translations: this page in each language" },
	{ "languages[].tag", "the language's tag" },
	{ "languages[].name", "its name in itself, \"Español\"" },
	{ "languages[].href",
	  "this page in it (relative): the same chapter, else its index" },
	{ "languages[].alternate",
	  "the same, absolute with base_url, for hreflang links (none where the language lacks the chapter)" },
	{ "languages[].dir", "\"rtl\" for a right-to-left language" },
	{ "languages[].current", "true for the page's own language" },
	{ "language_home",
	  "true on the book's own index.html when it has translations" },
	{ "page", "a chapter's page: the chapter" },
	{ "page.title", "its title" },
	{ "page.head_title",
	  "the whole <title> its text sets with {{#title}} (when set)" },
	{ "page.summary", "its summary, or empty" },
	{ "page.slug", "its slug" },
	{ "page.href", "its page" },
	{ "page.step", "its step: number (when set)" },
	{ "page.step_label", "true when it shows \"Step N\"" },
	{ "page.lang", "its own front matter language, when not the book's" },
	{ "page.dir", "with page.lang: \"rtl\" or \"ltr\"" },
	{ "page.step_text",
	  "\"Step N\" in the book's language (with step_label)" },
	{ "page.step_of_guide", "\"Step N of the guide\" (with step_label)" },
	{ "page.minutes", "reading time in minutes, at least 1" },
	{ "page.minutes_read", "\"N min read\" in the book's language" },
	{ "page.minutes_short", "\"N min\" in the book's language" },
	{ "page.words", "words in it" },
	{ "page.tasks", "its task items" },
	{ "page.tasks_text", "the same as text" },
	{ "page.body", "its HTML (use {{{page.body}}})" },
	{ "page.edit_url", "edit_url with its file for {path} (when set)" },
	{ "page.has_toc", "true when it has headings" },
	{ "page.toc", "its headings" },
	{ "page.toc[].id", "the heading's id" },
	{ "page.toc[].text", "its text" },
	{ "page.toc[].level", "its level, 2 to 6" },
	{ "page.toc[].sub", "true below level 2" },
	{ "page.has_backlinks", "true when other chapters link to it" },
	{ "page.backlinks", "the places linking to it" },
	{ "page.backlinks[].chapter", "the linking chapter's title" },
	{ "page.backlinks[].section",
	  "the heading the link is under (or none)" },
	{ "page.backlinks[].href", "where the link is" },
	{ "page.prev", "the chapter before: title and href (or none)" },
	{ "page.prev.title", "its title" },
	{ "page.prev.href", "its page" },
	{ "page.next", "the chapter after: title and href (or none)" },
	{ "page.next.title", "its title" },
	{ "page.next.href", "its page" },
	{ "page.params.*", "every key of its front matter, as written" },
	{ "groups", "checklist.html: a group per chapter with tasks" },
	{ "groups[].title", "the chapter's title" },
	{ "groups[].href", "its page" },
	{ "groups[].slug", "its slug" },
	{ "groups[].step", "its step (when set)" },
	{ "groups[].count", "its task items" },
	{ "groups[].count_text", "the same as text" },
	{ "groups[].items", "its task items" },
	{ "groups[].items[].id", "the item's stable id" },
	{ "groups[].items[].text", "its text" },
	{ "groups[].items[].href", "where it is in the chapter" },
	{ "groups[].items[].section", "the heading it is under (or none)" },
	{ "groups[].items[].checked", "true when written [x]" },
	{ "print", "print.html: the whole book" },
	{ "print.chapters", "every chapter" },
	{ "print.chapters[].title", "its title" },
	{ "print.chapters[].summary", "its summary (when set)" },
	{ "print.chapters[].step", "its step (when set)" },
	{ "print.chapters[].step_label", "true when it shows \"Step N\"" },
	{ "print.chapters[].step_of_guide",
	  "\"Step N of the guide\" (with step_label)" },
	{ "print.chapters[].number", "its place, from 1" },
	{ "print.chapters[].slug", "its slug" },
	{ "print.chapters[].minutes", "its reading time" },
	{ "print.chapters[].part",
	  "the title of the part it opens (when it does)" },
	{ "print.chapters[].body", "its HTML" },
	{ "print.chapters[].has_sections",
	  "true when it has level-2 headings" },
	{ "print.chapters[].sections", "its level-2 headings" },
	{ "print.chapters[].sections[].title", "the heading's text" },
	{ "print.chapters[].sections[].href", "its anchor in print.html" },
};

const size_t theme_vars_count = sizeof(theme_vars) / sizeof(*theme_vars);

/* The page templates: rendered with the whole context (others are
 * partials, which a section may include). */
static const char *const theme_vars_pages[] = {
	"base", "index", "chapter", "checklist", "print", "404",
};

struct theme_vars_walk {
	struct diag *d;
	int page;           /* the template is a page template */
	const char **names; /* the paths without "[]" */
	size_t n;
	const char *text; /* the template's source */
	size_t len;
};

/* Whether `tag` is `path`, or under a "X.*" path. */
static int theme_vars_match(const char *tag, const char *path)
{
	size_t len = strlen(path);

	if (len > 2 && !strcmp(path + len - 2, ".*"))
		return !strncmp(tag, path, len - 1) && tag[len - 1];
	return !strcmp(tag, path);
}

static void theme_vars_tag(void *arg, const char *file, const char *tag,
			   int depth, int line, int col)
{
	struct theme_vars_walk *w = arg;
	const char *dot = strchr(tag, '.');
	size_t i, root_len = dot ? (size_t)(dot - tag) : strlen(tag);
	int rooted = 0;
	const char *near;

	if (!strcmp(tag, "."))
		return;
	/* a plain name inside a section is the section's own */
	if (!dot && (depth || !w->page))
		return;
	for (i = 0; i < w->n; i++) {
		if (theme_vars_match(tag, w->names[i]))
			return;
		if (!strncmp(w->names[i], tag, root_len) &&
		    (w->names[i][root_len] == '.' || !w->names[i][root_len]))
			rooted = 1;
	}
	/* a dotted name under no known root may be a section's own */
	if (dot && !rooted)
		return;
	near = slug_closest_key(tag, w->names, w->n);
	diag_warning(w->d, file, line, col,
		     "no template variable '%s': it "
		     "renders as nothing%s%s%s",
		     tag, near ? "; did you mean '" : "", near ? near : "",
		     near ? "'?" : "");
	diag_attach_source(w->d, w->text, w->len, line);
}

void theme_vars_check(const struct theme *t, struct diag *d)
{
	struct theme_vars_walk w;
	size_t i, j;

	w.d = d;
	w.n = 0;
	w.names = xcalloc(theme_vars_count, sizeof(*w.names));
	for (i = 0; i < theme_vars_count; i++)
		if (!strstr(theme_vars[i].path, "[]"))
			w.names[w.n++] = theme_vars[i].path;
	for (i = 0; i < t->n_files; i++) {
		const char *p = t->files[i].path;
		size_t len = strlen(p);
		char *name;
		if (strncmp(p, "templates/", 10) || len < 19 ||
		    strcmp(p + len - 9, ".mustache") || strchr(p + 10, '/'))
			continue;
		name = xstrndup(p + 10, len - 19);
		w.text = t->files[i].data;
		w.len = t->files[i].len;
		w.page = 0;
		for (j = 0;
		     j < sizeof(theme_vars_pages) / sizeof(*theme_vars_pages);
		     j++)
			if (!strcmp(name, theme_vars_pages[j]))
				w.page = 1;
		tmpl_each_name(t->templates, name, theme_vars_tag, &w);
		free(name);
	}
	free(w.names);
}
