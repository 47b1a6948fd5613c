#include "quiz.h"

#include <stdlib.h>
#include <string.h>

static void question_release(struct quiz_question *qq)
{
	size_t i;

	free(qq->id);
	free(qq->html);
	free(qq->xhtml);
	for (i = 0; i < qq->n_choices; i++) {
		free(qq->choices[i].html);
		free(qq->choices[i].xhtml);
	}
	free(qq->choices);
	free(qq->explanation_html);
	free(qq->explanation_xhtml);
	memset(qq, 0, sizeof(*qq));
}

void quiz_release(struct quiz *q)
{
	size_t i;

	for (i = 0; i < q->n_questions; i++)
		question_release(&q->questions[i]);
	free(q->questions);
	for (i = 0; i < q->n_links; i++)
		free(q->links[i].url);
	free(q->links);
	free(q->id);
	memset(q, 0, sizeof(*q));
}

void quiz_list_release(struct quiz_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		quiz_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}
