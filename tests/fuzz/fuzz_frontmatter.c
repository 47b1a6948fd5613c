/* libFuzzer target: a chapter's front matter (frontmatter_parse, and
 * through it yamljson_parse). The input is the whole chapter file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "frontmatter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exact-size copy, not NUL-terminated: the parser must keep to
	 * `len`, and the sanitizer sees any read past it */
	char *text = malloc(size ? size : 1);
	struct frontmatter fm;
	struct diag d;
	FILE *null = fopen("/dev/null", "w");

	if (size)
		memcpy(text, data, size);
	diag_init(&d);
	if (frontmatter_parse(&fm, text, size, "content/a.md", &d) == 0 &&
	    fm.body_offset > size)
		abort();
	frontmatter_release(&fm);
	if (null) {
		diag_print(&d, null);
		fclose(null);
	}
	diag_release(&d);
	free(text);
	return 0;
}
