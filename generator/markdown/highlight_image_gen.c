/* highlight_image_gen: writes, to standard output, the C source of
 * highlight_images (highlight.h): each grammar's query compiled now, at
 * stepbook's build, so that a build of a book does not compile it again.
 * Linked with the objects of stepbook but this table, which it defines
 * empty for itself: its own queries are compiled from their sources. */
#include <stdio.h>
#include <stdlib.h>

#include "highlight.h"

const struct highlight_image highlight_images[1];
const size_t highlight_images_count = 0;

int main(void)
{
	size_t i, k, n = highlight_n_grammars();

	puts("/* Made by highlight_image_gen: do not edit. */\n"
	     "#include \"highlight.h\"\n");
	for (i = 0; i < n; i++) {
		unsigned char *image;
		uint64_t key;
		size_t len;
		if (highlight_query_image(i, &key, &image, &len) < 0) {
			fprintf(stderr,
				"highlight_image_gen: the %s query does not "
				"compile\n",
				highlight_grammar_name(i));
			return 1;
		}
		printf("static const unsigned char image_%zu[%zu] = {", i, len);
		for (k = 0; k < len; k++)
			printf("%s%u,", k % 24 ? "" : "\n\t", image[k]);
		puts("\n};\n");
		printf("#define KEY_%zu 0x%016llxULL\n", i,
		       (unsigned long long)key);
		free(image);
	}
	printf("\nconst struct highlight_image highlight_images[] = {\n");
	for (i = 0; i < n; i++)
		printf("\t{ \"%s\", KEY_%zu, image_%zu, sizeof(image_%zu) },\n",
		       highlight_grammar_name(i), i, i, i);
	printf("};\n\nconst size_t highlight_images_count = %zu;\n", n);
	return ferror(stdout) ? 1 : 0;
}
