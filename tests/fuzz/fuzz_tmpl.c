/* libFuzzer target: the Mustache engine (tmpl_set_add, tmpl_render).
 *
 * The input holds one or more templates: the first is "main"; a line
 * "==> NAME" starts the next one, called NAME (so partials and parents
 * can be given). Every template that parses is rendered against a fixed
 * JSON context with values of every kind. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "tmpl.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char context_json[] =
	"{\"name\": \"Joe <b>&amp; \\\"quotes\\\" 'single'\","
	" \"a\": \"A\", \"b\": 2, \"c\": {\"d\": {\"e\": \"deep\"}},"
	" \"x\": 1, \"y\": true, \"z\": false, \"n\": null,"
	" \"zero\": 0, \"one\": 1, \"neg\": -9223372036854775807,"
	" \"pi\": 3.14159, \"tiny\": 5e-324, \"huge\": 1.7976931348623157e308,"
	" \"negzero\": -0.0, \"empty\": \"\", \"list\": [{\"item\": 1},"
	" {\"item\": \"two\"}, {\"item\": true}, {\"item\": null}],"
	" \"items\": [\"a\", \"b\", \"c\"], \"nested\": [[1, 2], [3], []],"
	" \"none\": [], \"obj\": {\"key\": \"value\", \"list\": [1, 2]},"
	" \"data\": {\"a\": {\"b\": {\"c\": 42}}},"
	" \"bool\": true, \"text\": \"<p>raw & html</p>\","
	" \"page\": {\"title\": \"Page\", \"body\": \"<p>body</p>\","
	"  \"toc\": [{\"id\": \"x\", \"text\": \"X\", \"level\": 2}]},"
	" \"book\": {\"title\": \"Book\", \"params\": {\"k\": \"v\"}},"
	" \"chapters\": [{\"title\": \"One\", \"href\": \"1.html\","
	"  \"current\": true}, {\"title\": \"Two\", \"href\": \"2.html\"}]}";

static struct json_object *context;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	context = json_tokener_parse(context_json);
	if (!context)
		abort();
	return 0;
}

#define MAX_TEMPLATES 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data, *end = text + size, *p;
	char *names[MAX_TEMPLATES];
	size_t n = 0, i;
	struct tmpl_set *set = tmpl_set_new();
	struct diag d;
	struct buf name = BUF_INIT;

	diag_init(&d);
	buf_adds(&name, "main");
	p = text;
	while (n < MAX_TEMPLATES) {
		/* this template runs to the next "\n==> " line or the end */
		const char *stop = p, *next = end, *q;
		char *src;
		size_t len;
		for (q = p; q < end; q++) {
			if ((q == text || q[-1] == '\n') && end - q >= 4 &&
			    !memcmp(q, "==> ", 4)) {
				next = q;
				break;
			}
		}
		stop = next;
		len = (size_t)(stop - p);
		/* an exact-size copy: the parser must keep to `len` */
		src = malloc(len ? len : 1);
		if (len)
			memcpy(src, p, len);
		if (tmpl_set_add(set, name.ptr, NULL, src, len, &d) == 0) {
			if (!tmpl_set_has(set, name.ptr))
				abort();
			names[n++] = buf_detach(&name, NULL);
		} else if (!d.errors) {
			abort();
		}
		free(src);
		buf_reset(&name);
		if (next == end)
			break;
		/* "==> NAME\n" */
		p = next + 4;
		while (p < end && *p != '\n')
			buf_addch(&name, *p++);
		if (p < end)
			p++;
	}
	for (i = 0; i < n; i++) {
		struct buf out = BUF_INIT;
		size_t errors = d.errors;
		if (tmpl_render(set, names[i], context, &out, &d) < 0) {
			if (d.errors == errors || out.len)
				abort(); /* an error says why, leaves out as it was */
		}
		buf_release(&out);
		free(names[i]);
	}
	buf_release(&name);
	tmpl_set_free(set);
	diag_release(&d);
	return 0;
}
