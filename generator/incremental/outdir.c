#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "cache.h"
#include "diag.h"
#include "fsutil.h"

int outdir_check(const char *out, const char *sources, struct buf *why)
{
	char *o = fs_resolve(out), *book = fs_resolve(".");
	char *content = fs_resolve(sources), *themes = fs_resolve("themes");
	int r = -1;

	if (!o || !book || !content || !themes)
		buf_addf(why, "cannot resolve output folder '%s': %s", out,
			 strerror(errno));
	else if (path_within(o, content))
		buf_addf(why,
			 "output folder '%s' is inside content/, the "
			 "book's sources: choose another with --out",
			 out);
	else if (path_within(o, themes))
		buf_addf(why,
			 "output folder '%s' is inside themes/, the "
			 "book's themes: choose another with --out",
			 out);
	else if (!strcmp(o, book))
		buf_addf(why,
			 "output folder '%s' is the book's own folder: "
			 "choose another with --out",
			 out);
	else if (path_within(book, o) || path_within(content, o) ||
		 path_within(themes, o))
		buf_addf(why,
			 "output folder '%s' holds the book's sources: "
			 "choose another with --out",
			 out);
	else
		r = 0;
	free(o);
	free(book);
	free(content);
	free(themes);
	return r;
}

int outdir_mark(const char *out, struct diag *d)
{
	static const char text[] =
		"This folder was written by stepbook; `stepbook clean` may "
		"remove it whole.\n";
	char *path = path_join(out, OUTDIR_MARKER);
	int r = 0;

	if (!fs_is_file(path)) {
		if (fs_mkdirs(out) < 0)
			r = diag_error(d, out, 0, 0,
				       "cannot create output "
				       "folder: %s",
				       strerror(errno));
		else
			r = fs_write_atomic(path, text, sizeof(text) - 1, NULL,
					    d);
	}
	free(path);
	return r;
}

/* Whether `dir`/`name` is a regular file (not followed if a link). */
static int outdir_holds(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	struct stat st;
	int r = lstat(path, &st) == 0 && S_ISREG(st.st_mode);

	free(path);
	return r;
}

int outdir_is_ours(const char *out)
{
	return fs_is_dir(out) && (outdir_holds(out, OUTDIR_MARKER) ||
				  outdir_holds(out, CACHE_FILE));
}
