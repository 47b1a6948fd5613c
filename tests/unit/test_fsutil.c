/* Unit tests for fsutil: atomic writes, bounded reads, listing and
 * walking folders (what is refused, loops), reading what is not a file,
 * resolving paths. Works in a fresh temporary folder. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "fixture.h"
#include "harness.h"

/* A path inside the temporary folder (static storage, one at a time). */
static const char *tmp(const char *rel)
{
	static char path[4][512];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", fixture_tmp(), rel);
	return p;
}

static void put(const char *rel, const char *text)
{
	struct diag d;

	diag_init(&d);
	CHECK_INT(fs_write_atomic(tmp(rel), text, strlen(text), NULL, &d), 0);
	diag_release(&d);
}

static void test_replace(void)
{
	struct diag d;
	struct buf b = BUF_INIT;
	struct fs_tree t;

	diag_init(&d);
	/* over a file: the new bytes, the old file gone, no temporary */
	put("r/f.txt", "old");
	put("r/f.txt.new", "new");
	CHECK_INT(fs_replace(tmp("r/f.txt.new"), tmp("r/f.txt")), 0);
	CHECK_INT(fs_read_file(tmp("r/f.txt"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "new");
	buf_reset(&b);
	CHECK_INT(fs_walk(tmp("r"), &t), 0);
	CHECK_INT(t.n_files, 1);
	fs_tree_release(&t);
	/* where there was nothing */
	put("r/g.txt.new", "g");
	CHECK_INT(fs_replace(tmp("r/g.txt.new"), tmp("r/g.txt")), 0);
	CHECK(fs_is_file(tmp("r/g.txt")) && !fs_is_file(tmp("r/g.txt.new")));
	/* over a folder: refused, both left as they were */
	put("r/dir/inside.txt", "in");
	put("r/h.txt.new", "h");
	errno = 0;
	CHECK_INT(fs_replace(tmp("r/h.txt.new"), tmp("r/dir")), -1);
	CHECK_INT(errno, EISDIR);
	CHECK(fs_is_file(tmp("r/dir/inside.txt")));
	CHECK_INT(fs_read_file(tmp("r/h.txt.new"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "h");
	CHECK_INT(d.n, 0);
	buf_release(&b);
	diag_release(&d);
}

static void test_write_atomic(void)
{
	struct diag d;
	struct buf b = BUF_INIT;
	struct timeval old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
	int changed = -1;

	diag_init(&d);
	/* parents are created */
	CHECK_INT(fs_write_atomic(tmp("w/deep/er/f.txt"), "one", 3, &changed,
				  &d),
		  0);
	CHECK_INT(changed, 1);
	CHECK(fs_is_dir(tmp("w/deep/er")));
	CHECK(fs_is_file(tmp("w/deep/er/f.txt")));
	CHECK_INT(fs_read_file(tmp("w/deep/er/f.txt"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "one");
	buf_reset(&b);

	/* identical content: untouched, mtime kept */
	CHECK_INT(utimes(tmp("w/deep/er/f.txt"), old), 0);
	CHECK_INT(fs_mtime(tmp("w/deep/er/f.txt")), 1000000000);
	changed = -1;
	CHECK_INT(fs_write_atomic(tmp("w/deep/er/f.txt"), "one", 3, &changed,
				  &d),
		  0);
	CHECK_INT(changed, 0);
	CHECK_INT(fs_mtime(tmp("w/deep/er/f.txt")), 1000000000);

	/* same length, other bytes: rewritten */
	CHECK_INT(fs_write_atomic(tmp("w/deep/er/f.txt"), "two", 3, &changed,
				  &d),
		  0);
	CHECK_INT(changed, 1);
	CHECK(fs_mtime(tmp("w/deep/er/f.txt")) > 1000000000);
	CHECK_INT(fs_read_file(tmp("w/deep/er/f.txt"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "two");
	buf_reset(&b);

	/* a prefix of the old content is a change too; no temporary left */
	CHECK_INT(fs_write_atomic(tmp("w/deep/er/f.txt"), "tw", 2, &changed,
				  &d),
		  0);
	CHECK_INT(changed, 1);
	{
		struct fs_tree t;
		CHECK_INT(fs_walk(tmp("w/deep/er"), &t), 0);
		CHECK_INT(t.n_files, 1);
		if (t.n_files == 1)
			CHECK_STR(t.files[0], "f.txt");
		fs_tree_release(&t);
	}
	/* empty content creates an empty file */
	CHECK_INT(fs_write_atomic(tmp("w/empty"), "", 0, &changed, &d), 0);
	CHECK_INT(changed, 1);
	CHECK(fs_is_file(tmp("w/empty")));
	CHECK_INT(fs_write_atomic(tmp("w/empty"), "", 0, &changed, &d), 0);
	CHECK_INT(changed, 0);
	CHECK_INT(d.n, 0);
	buf_release(&b);
	diag_release(&d);
}

static void test_write_errors(void)
{
	struct diag d;
	int changed = -1;

	diag_init(&d);
	put("blocker", "x");
	/* a file stands where a parent folder should be */
	CHECK_INT(fs_write_atomic(tmp("blocker/f.txt"), "a", 1, &changed, &d),
		  -1);
	CHECK_INT(changed, 0);
	CHECK_INT(d.n, 1);
	if (d.n == 1) {
		CHECK_STR(d.v[0].file, tmp("blocker/f.txt"));
		CHECK_STR(d.v[0].msg, "cannot create folder: Not a directory");
		CHECK_INT(d.v[0].line, 0);
		CHECK_INT(d.v[0].col, 0);
		CHECK_INT(d.v[0].level, DIAG_ERROR);
	}
	diag_release(&d);
}

/* fs_write_new: a new file, with its folder made; never over one */
static void test_write_new(void)
{
	struct diag d;
	struct buf b = BUF_INIT;

	diag_init(&d);
	CHECK_INT(fs_write_new(tmp("new/deep/a.txt"), "abc", 3, &d), 0);
	CHECK_INT(fs_read_file(tmp("new/deep/a.txt"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "abc");
	CHECK_INT(d.errors, 0);
	CHECK_INT(fs_write_new(tmp("new/deep/a.txt"), "xyz", 3, &d), -1);
	CHECK_INT(d.errors, 1);
	buf_reset(&b);
	CHECK_INT(fs_read_file(tmp("new/deep/a.txt"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "abc");
	buf_release(&b);
	diag_release(&d);
}

/* fs_write_pieces: old ranges and new bytes in order, into a new file;
 * a range past the old file's end is an error that leaves no file, and
 * a file that is there already is not written over */
static void test_write_pieces(void)
{
	struct diag d;
	struct buf b = BUF_INIT;
	struct fs_piece pc[4] = {
		{ NULL, 6, 5 }, /* "world" */
		{ ", ", 0, 2 },
		{ NULL, 0, 5 }, /* "hello" */
		{ "!", 0, 1 },
	};
	struct fs_piece bad[1] = { { NULL, 8, 10 } };

	diag_init(&d);
	put("pieces.txt", "hello world");
	CHECK(fs_stamp(tmp("pieces.txt")) != 0);
	CHECK_INT(fs_write_pieces(tmp("pieces.new"), tmp("pieces.txt"), pc, 4,
				  &d),
		  0);
	CHECK_INT(fs_read_file(tmp("pieces.new"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "world, hello!");
	CHECK_INT(d.errors, 0);
	CHECK_INT(fs_write_pieces(tmp("pieces.bad"), tmp("pieces.txt"), bad, 1,
				  &d),
		  -1);
	CHECK_INT(d.errors, 1);
	CHECK(!fs_is_file(tmp("pieces.bad")));
	CHECK_INT(fs_write_pieces(tmp("pieces.new"), tmp("pieces.txt"), pc, 1,
				  &d),
		  -1);
	CHECK_INT(d.errors, 2);
	buf_reset(&b);
	CHECK_INT(fs_read_file(tmp("pieces.new"), NULL, &b, &d), 0);
	CHECK_STR(b.ptr, "world, hello!");
	CHECK_INT(fs_stamp(tmp("no-such-file")), 0);
	buf_release(&b);
	diag_release(&d);
}

static void test_read_file(void)
{
	struct diag d;
	struct buf b = BUF_INIT;
	FILE *f;

	diag_init(&d);
	put("r.txt", "abc\n");
	buf_adds(&b, ">");
	/* reading appends */
	CHECK_INT(fs_read_file(tmp("r.txt"), "shown.txt", &b, &d), 0);
	CHECK_STR(b.ptr, ">abc\n");
	CHECK_INT(b.len, 5);
	buf_reset(&b);

	CHECK_INT(fs_read_file(tmp("nope.txt"), "content/nope.txt", &b, &d),
		  -1);
	CHECK_INT(fs_read_file(tmp("nope.txt"), NULL, &b, &d), -1);
	CHECK_INT(fs_read_file(tmp(""), "dir", &b, &d), -1);
	CHECK_INT(d.n, 3);
	if (d.n == 3) {
		CHECK_STR(d.v[0].file, "content/nope.txt");
		CHECK_STR(d.v[0].msg,
			  "cannot read file: No such file or directory");
		CHECK_INT(d.v[0].line, 0);
		CHECK_INT(d.v[0].col, 0);
		CHECK_STR(d.v[1].file, tmp("nope.txt"));
		CHECK_STR(d.v[2].file, "dir");
		CHECK_STR(d.v[2].msg, "not a regular file");
	}
	CHECK_STR(b.ptr, "");

	/* one byte over the limit (a sparse file) */
	f = fopen(tmp("big"), "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK_INT(fseek(f, (long)FS_MAX_FILE, SEEK_SET), 0);
		fputc('x', f);
		fclose(f);
	}
	diag_release(&d);
	diag_init(&d);
	CHECK_INT(fs_read_file(tmp("big"), "big", &b, &d), -1);
	CHECK_INT(d.n, 1);
	if (d.n == 1)
		CHECK_STR(d.v[0].msg,
			  "file too large: 67108865 bytes, limit 67108864");
	CHECK_INT(b.len, 0);
	/* exactly at the limit is fine */
	CHECK_INT(truncate(tmp("big"), (off_t)FS_MAX_FILE), 0);
	CHECK_INT(fs_read_file(tmp("big"), "big", &b, &d), 0);
	CHECK_INT(b.len, FS_MAX_FILE);
	CHECK_INT(d.n, 1);
	unlink(tmp("big"));
	buf_release(&b);
	diag_release(&d);
}

static void test_walk(void)
{
	struct fs_tree t;

	put("t/z.txt", "z");
	put("t/a/b/c.png", "c");
	put("t/a/a.md", "a");
	put("t/.git/config", "hidden folder");
	put("t/a/.DS_Store", "hidden file");
	put("t/a-b", "'-' sorts before '/'");
	put("t/.shared/s.txt", "reached through a link only");
	put("elsewhere/e.txt", "e");
	/* links inside are followed: to a file, to a folder not walked
	 * otherwise; a broken one is not a file */
	CHECK(symlink("../z.txt", tmp("t/a/link.txt")) == 0);
	CHECK(symlink(".shared", tmp("t/shared")) == 0);
	CHECK(symlink("missing.txt", tmp("t/broken.txt")) == 0);
	CHECK_INT(fs_walk(tmp("t"), &t), 0);
	CHECK_INT(t.n_files, 6);
	if (t.n_files == 6) {
		CHECK_STR(t.files[0], "a-b");
		CHECK_STR(t.files[1], "a/a.md");
		CHECK_STR(t.files[2], "a/b/c.png");
		CHECK_STR(t.files[3], "a/link.txt");
		CHECK_STR(t.files[4], "shared/s.txt");
		CHECK_STR(t.files[5], "z.txt");
	}
	CHECK_INT(t.n_refused, 0);
	CHECK(t.root && t.root[0] == '/');
	fs_tree_release(&t);
	CHECK_INT(fs_walk(tmp("nothing"), &t), -1);
	CHECK(t.files == NULL);
	CHECK_INT(fs_walk(tmp("t/z.txt"), &t), -1);
}

/* What leads out of the folder, loops, names a folder twice or is no
 * file is refused, and nothing behind it is read. */
static void test_walk_refused(void)
{
	struct fs_tree t;
	struct buf why = BUF_INIT;

	put("u/in.txt", "in");
	put("u/images/x.png", "x");
	put("u/deep/er/f.txt", "f");
	put("outside/secret.txt", "secret");
	CHECK(symlink(tmp("outside/secret.txt"), tmp("u/leak.txt")) == 0);
	CHECK(symlink("../outside", tmp("u/outdir")) == 0);
	CHECK(symlink("/proc/self/environ", tmp("u/env")) == 0);
	CHECK(symlink(".", tmp("u/loop")) == 0);
	CHECK(symlink("../../u", tmp("u/deep/up")) == 0);
	CHECK(symlink("images", tmp("u/img")) == 0);
	CHECK(mkfifo(tmp("u/fifo"), 0644) == 0);
	CHECK_INT(fs_walk(tmp("u"), &t), 0);
	CHECK_INT(t.n_files, 3);
	if (t.n_files == 3) {
		CHECK_STR(t.files[0], "deep/er/f.txt");
		CHECK_STR(t.files[1], "images/x.png");
		CHECK_STR(t.files[2], "in.txt");
	}
	CHECK_INT(t.n_refused, 7);
	if (t.n_refused == 7) {
		CHECK_STR(t.refused[0].path, "deep/up");
		CHECK_INT(t.refused[0].why, FS_LOOP);
		CHECK_STR(t.refused[0].target, "");
		CHECK_STR(t.refused[1].path, "env");
		CHECK_INT(t.refused[1].why, FS_OUTSIDE);
		CHECK_STR(t.refused[2].path, "fifo");
		CHECK_INT(t.refused[2].why, FS_SPECIAL);
		CHECK_STR(t.refused[3].path, "img");
		CHECK_INT(t.refused[3].why, FS_TWICE);
		CHECK_STR(t.refused[3].target, "images");
		CHECK_STR(t.refused[4].path, "leak.txt");
		CHECK_INT(t.refused[4].why, FS_OUTSIDE);
		CHECK(strstr(t.refused[4].target, "/outside/secret.txt") !=
		      NULL);
		CHECK_STR(t.refused[5].path, "loop");
		CHECK_INT(t.refused[5].why, FS_LOOP);
		CHECK_STR(t.refused[6].path, "outdir");
		CHECK_INT(t.refused[6].why, FS_OUTSIDE);
		CHECK(fs_refused_find(t.refused, t.n_refused,
				      "outdir/a/b.png") == &t.refused[6]);
		CHECK(fs_refused_find(t.refused, t.n_refused, "outdir") ==
		      &t.refused[6]);
		CHECK(fs_refused_find(t.refused, t.n_refused, "outdirx") ==
		      NULL);
		CHECK(fs_refused_find(t.refused, t.n_refused, "in.txt") ==
		      NULL);
		fs_refusal_text(&t.refused[6], "content", &why);
		CHECK(!strncmp(why.ptr,
			       "is a symlink that leads outside "
			       "content/ (to '/",
			       36));
		buf_reset(&why);
		fs_refusal_text(&t.refused[5], "content", &why);
		CHECK_STR(why.ptr, "is a symlink loop: it leads back to "
				   "'content/'");
		buf_reset(&why);
		fs_refusal_text(&t.refused[3], "content", &why);
		CHECK_STR(why.ptr,
			  "is a symlink to the folder "
			  "'content/images/', which is published under that "
			  "name already");
	}
	fs_tree_release(&t);
	buf_release(&why);

	/* loops grow no walk: a folder of links to the next one, 20 deep,
	 * two links each (2^20 paths if followed) is walked once each */
	{
		char name[64], to[64];
		int i;
		for (i = 0; i < 20; i++) {
			snprintf(name, sizeof(name), "v/d%02d/f.txt", i);
			put(name, "f");
			snprintf(name, sizeof(name), "v/d%02d/a", i);
			snprintf(to, sizeof(to), "../d%02d", i + 1);
			if (i < 19)
				CHECK(symlink(to, tmp(name)) == 0);
			snprintf(name, sizeof(name), "v/d%02d/b", i);
			if (i < 19)
				CHECK(symlink(to, tmp(name)) == 0);
		}
		CHECK_INT(fs_walk(tmp("v"), &t), 0);
		CHECK_INT(t.n_files, 20);
		CHECK_INT(t.n_refused, 38);
		fs_tree_release(&t);
	}
}

/* A FIFO, a device or a file of /proc is never read, and opening one
 * does not wait. */
static void test_read_special(void)
{
	struct diag d;
	struct buf b = BUF_INIT;

	diag_init(&d);
	CHECK(mkfifo(tmp("rs.fifo"), 0644) == 0);
	CHECK_INT(fs_read_file(tmp("rs.fifo"), "f", &b, &d), -1);
	CHECK_INT(fs_read_file("/dev/zero", "z", &b, &d), -1);
	CHECK_INT(fs_read_file("/proc/self/environ", "e", &b, &d), -1);
	CHECK_INT(fs_read_file("/sys/kernel/mm/transparent_hugepage/enabled",
			       "s", &b, &d),
		  -1);
	CHECK_INT(b.len, 0);
	CHECK_INT(d.n, 4);
	if (d.n == 4) {
		CHECK_STR(d.v[0].msg, "not a regular file");
		CHECK_STR(d.v[1].msg, "not a regular file");
		CHECK_STR(d.v[2].msg, "not a regular file: a file of the "
				      "kernel's /proc or /sys");
	}
	buf_release(&b);
	diag_release(&d);
}

static void test_resolve(void)
{
	char *cwd = getcwd(NULL, 0), *p, *want;
	struct buf b = BUF_INIT;

	put("rv/real/f.txt", "f");
	CHECK(symlink("real", tmp("rv/link")) == 0);
	p = fs_resolve(tmp("rv/link/f.txt"));
	want = realpath(tmp("rv/real/f.txt"), NULL);
	CHECK_STR(p, want);
	free(p);
	/* missing parts are added as written, ".." taken lexically */
	p = fs_resolve(tmp("rv/link/new/dir/../x"));
	buf_addf(&b, "%s/new/x", realpath(tmp("rv/real"), want));
	CHECK_STR(p, b.ptr);
	free(p);
	free(want);
	p = fs_resolve("no-such-folder/y");
	buf_reset(&b);
	buf_addf(&b, "%s/no-such-folder/y", cwd);
	CHECK_STR(p, b.ptr);
	free(p);
	p = fs_resolve(".");
	CHECK_STR(p, cwd);
	free(p);
	p = fs_resolve("/");
	CHECK_STR(p, "/");
	free(p);

	buf_release(&b);
	free(cwd);
}

static void test_mkdirs_remove(void)
{
	CHECK_INT(fs_mkdirs(tmp("m/x/y")), 0);
	CHECK(fs_is_dir(tmp("m/x/y")));
	CHECK_INT(fs_mkdirs(tmp("m/x/y")), 0);
	put("m/x/y/f", "f");
	CHECK_INT(fs_remove_tree(tmp("m")), 0);
	CHECK(!fs_is_dir(tmp("m")));
	CHECK_INT(fs_remove_tree(tmp("m")), 0);
	CHECK(!fs_is_file(tmp("m")));
	CHECK_INT(fs_mtime(tmp("m")), 0);
}

int main(void)
{
	RUN(test_replace);
	RUN(test_write_atomic);
	RUN(test_write_errors);
	RUN(test_write_new);
	RUN(test_write_pieces);
	RUN(test_read_file);
	RUN(test_walk);
	RUN(test_walk_refused);
	RUN(test_read_special);
	RUN(test_resolve);
	RUN(test_mkdirs_remove);
	return harness_done();
}
