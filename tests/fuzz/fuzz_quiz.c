/* libFuzzer target: the content of a ```quiz block (xform_quiz_parse),
 * rendered for the site and the EPUB when it parses. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "i18n.h"
#include "render_quiz.h"
#include "xform_quiz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct quiz q;
	struct diag d;
	static struct i18n t;
	static int loaded;
	size_t i;

	if (size)
		memcpy(text, data, size);
	diag_init(&d);
	if (!loaded) { /* the English pack, loaded once for the whole run */
		if (i18n_load(&t, "en", NULL, NULL, NULL, NULL, &d) != 0)
			abort();
		loaded = 1;
	}
	if (xform_quiz_parse(text, size, "content/a.md", 3, 1, "a-quiz-1", &q,
			     &d) == 0) {
		struct buf site = BUF_INIT, epub = BUF_INIT, notes = BUF_INIT;
		if (!q.n_questions)
			abort();
		for (i = 0; i < q.n_questions; i++)
			if (q.questions[i].n_choices < 2)
				abort();
		render_quiz_site(&q, &t, &site);
		render_quiz_epub(&q, "a.xhtml", "answers.xhtml", 1, &t, &epub,
				 &notes);
		render_quiz_epub(&q, "", "", 0, &t, &epub, &notes);
		buf_release(&site);
		buf_release(&epub);
		buf_release(&notes);
		quiz_release(&q);
	} else if (!d.errors) {
		abort(); /* a failure must say why */
	}
	diag_release(&d);
	free(text);
	return 0;
}
