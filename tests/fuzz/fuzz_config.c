/* libFuzzer target: book.yml. The input goes through yamljson_parse()
 * directly and through config_load() from a file, as the tool reads it. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "yamljson.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];

static void fuzz_cleanup(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "/tmp/stepbook-fuzz-book-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0) {
		perror("mkstemp");
		exit(1);
	}
	close(fd);
	atexit(fuzz_cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct json_object *root = NULL;
	struct config cfg;
	struct diag d;
	FILE *f;

	if (size)
		memcpy(text, data, size);
	diag_init(&d);
	if (yamljson_parse(text, size, "content/book.yml", 0, &root, &d) == 0)
		json_object_put(root);
	free(text);

	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size)
		fwrite(data, 1, size, f);
	if (fclose(f) != 0)
		abort();
	if (config_load(&cfg, path, "content/book.yml", &d) == 0 &&
	    (!cfg.title || !cfg.language || !cfg.theme))
		abort();
	config_release(&cfg);
	diag_release(&d);
	return 0;
}
