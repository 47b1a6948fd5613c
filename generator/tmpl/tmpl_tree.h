/* tmpl_tree: a parsed template, as tmpl_parse.c makes it and
 * tmpl_render.c walks it: private to the template engine (tmpl.h is its
 * interface).
 *
 * A template is a flat array of nodes in document order. A node with
 * children (section, inverted section, parent, block) is followed by
 * them; `next` is the index past its subtree, so a walk over siblings is
 * `i = nodes[i].next`. Text nodes point into the template's own copy of
 * its source. */
#ifndef STEPBOOK_TMPL_TREE_H
#define STEPBOOK_TMPL_TREE_H

#include <stddef.h>
#include <stdint.h>

#define TMPL_NONE ((size_t)-1)

enum tmpl_kind {
	TMPL_TEXT,
	TMPL_VAR,      /* {{x}}: escaped */
	TMPL_RAW,      /* {{{x}}}, {{&x}} */
	TMPL_SECTION,  /* {{#x}} */
	TMPL_INVERTED, /* {{^x}} */
	TMPL_PARTIAL,  /* {{>x}} */
	TMPL_PARENT,   /* {{<x}} */
	TMPL_BLOCK     /* {{$x}} */
};

/* Node flags. TMPL_BOL: a text node starting a line of the source.
 * TMPL_EMPTY_LINE: such a line with nothing before its newline (it gets
 * no indentation). TMPL_STANDALONE: a partial, parent or block whose
 * line is left out of the output. */
#define TMPL_BOL 1u
#define TMPL_EMPTY_LINE 2u
#define TMPL_STANDALONE 4u

struct tmpl_node {
	unsigned char kind;
	unsigned char flags;
	unsigned nparts; /* var, section: parts of the dotted name, 0 for `.` */
	size_t next;     /* index of the next sibling */
	/* text: the bytes. partial, parent: the indentation of the tag's
	 * line. block: the indentation for the content replacing it. */
	const char *text;
	size_t len;
	/* text: length of the line's leading whitespace. block: the
	 * whitespace common to its lines, removed when it replaces another
	 * block. */
	size_t ws;
	char *name;    /* tags: the name as written */
	char *path;    /* var, section: the name split at dots, NUL-separated */
	uint32_t hash; /* partial, parent: tmpl_hash(name) */
	int line, col; /* tags: the position of the tag */
};

struct tmpl {
	char *name;
	char *file; /* as given to tmpl_set_add, else the name */
	char *src;  /* the set's copy; text nodes point into it */
	size_t len;
	uint32_t hash;
	struct tmpl_node *nodes;
	size_t n, cap;
};

struct tmpl_set {
	struct tmpl **slots; /* open addressing, a power of two */
	size_t cap, n;
};

/* The hash of a template's name, by which the set finds it. */
uint32_t tmpl_hash(const char *s);

/* The template called `name` (whose tmpl_hash() is `hash`) in `set`, or
 * NULL. */
const struct tmpl *tmpl_set_find(const struct tmpl_set *set, const char *name,
				 uint32_t hash);

#endif
