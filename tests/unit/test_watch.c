/* Unit tests for watch: a file written, a folder made and a file in it,
 * a file removed are each seen as a change; hidden files, editors'
 * backups and stepbook's temporary files are not; nothing changed is a
 * timeout. The normal build is told by inotify; the portable build
 * (make portable) looks at the folders, and runs these same tests. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fixture.h"
#include "fsutil.h"
#include "harness.h"
#include "watch.h"

/* A path in the watched folder (static storage, one at a time). */
static const char *at(const char *rel)
{
	static struct buf b = BUF_INIT;

	buf_reset(&b);
	buf_addf(&b, "%s/w/%s", fixture_tmp(), rel);
	return b.ptr;
}

static void put(const char *rel, const char *text)
{
	struct diag d;

	diag_init(&d);
	CHECK_INT(fs_write_atomic(at(rel), text, strlen(text), NULL, &d), 0);
	diag_release(&d);
}

static void test_changes(void)
{
	const char *dirs[2];
	struct watch *w;
	struct buf top = BUF_INIT;

	put("a.md", "one");
	buf_addf(&top, "%s/w", fixture_tmp());
	dirs[0] = top.ptr;
	dirs[1] = "no-such-folder";
	w = watch_new(dirs, 2);
	CHECK(w != NULL);
	if (!w)
		return;
	/* nothing yet */
	CHECK_INT(watch_wait(w, 300, 50), 0);
	put("a.md", "two");
	CHECK_INT(watch_wait(w, 3000, 50), 1);
	CHECK_INT(watch_wait(w, 300, 50), 0);
	/* a new folder, then a file in it: watched as it appears */
	CHECK_INT(fs_mkdirs(at("sub")), 0);
	CHECK_INT(watch_wait(w, 3000, 50), 1);
	put("sub/b.md", "three");
	CHECK_INT(watch_wait(w, 3000, 50), 1);
	CHECK(unlink(at("sub/b.md")) == 0);
	CHECK_INT(watch_wait(w, 3000, 50), 1);
	/* what is not the book's */
	put(".hidden", "x");
	put("a.md~", "x");
	CHECK_INT(watch_wait(w, 600, 50), 0);
	watch_free(w);
	buf_release(&top);
}

int main(void)
{
	RUN(test_changes);
	return harness_done();
}
