#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "compat.h"
#include "diag.h"
#include "hash.h"
#include "strset.h"
#include "xalloc.h"

int fs_read_file(const char *path, const char *shown, struct buf *out,
		 struct diag *d)
{
	int fd;
	struct stat st;
	ssize_t n;

	if (!shown)
		shown = path;
	/* O_NONBLOCK: opening a FIFO does not wait for a writer (and a
	 * regular file reads the same with it) */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return diag_error(d, shown, 0, 0, "cannot read file: %s",
				  strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return diag_error(d, shown, 0, 0, "not a regular file");
	}
	if (compat_is_kernel_file(fd)) {
		close(fd);
		return diag_error(d, shown, 0, 0,
				  "not a regular file: a file "
				  "of the kernel's /proc or /sys");
	}
	if ((size_t)st.st_size > FS_MAX_FILE) {
		close(fd);
		return diag_error(d, shown, 0, 0,
				  "file too large: %lld bytes, limit %zu",
				  (long long)st.st_size, FS_MAX_FILE);
	}
	buf_grow(out, (size_t)st.st_size);
	for (;;) {
		if (out->cap - out->len < 4097)
			buf_grow(out, 4096);
		n = read(fd, out->ptr + out->len, out->cap - out->len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			return diag_error(d, shown, 0, 0,
					  "cannot read file: %s",
					  strerror(errno));
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->ptr[out->len] = '\0';
		if (out->len > FS_MAX_FILE) {
			close(fd);
			return diag_error(d, shown, 0, 0,
					  "file too large: limit %zu bytes",
					  FS_MAX_FILE);
		}
	}
	close(fd);
	return 0;
}

int fs_same_content(const char *path, const void *data, size_t len)
{
	struct stat st;
	char chunk[65536];
	const char *p = data;
	size_t off = 0;
	int fd, same = 1;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size != len)
		return 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	while (off < len) {
		size_t want = len - off < sizeof(chunk) ? len - off
							: sizeof(chunk);
		ssize_t n = read(fd, chunk, want);
		if (n <= 0 || memcmp(chunk, p + off, (size_t)n) != 0) {
			same = 0;
			break;
		}
		off += (size_t)n;
	}
	close(fd);
	return same;
}

/* ---- the test hook (see fs_step_begin()) ---- */

static long fs_kill_after, fs_stop_after, fs_fail_at;
static long fs_steps;
static pthread_once_t fs_step_once = PTHREAD_ONCE_INIT;

static long fs_env_number(const char *name)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return 0;
	n = strtol(v, &end, 10);
	return *end || n < 0 ? 0 : n;
}

static void fs_step_init(void)
{
	fs_kill_after = fs_env_number("STEPBOOK_TEST_KILL_AFTER");
	fs_stop_after = fs_env_number("STEPBOOK_TEST_STOP_AFTER");
	fs_fail_at = fs_env_number("STEPBOOK_TEST_FAIL_AT");
}

long fs_step_begin(void)
{
	long n;

	pthread_once(&fs_step_once, fs_step_init);
	if (!fs_kill_after && !fs_stop_after && !fs_fail_at)
		return 0;
	n = compat_add_long(&fs_steps, 1);
	if (n == fs_fail_at) {
		errno = ENOSPC;
		return -1;
	}
	return n;
}

void fs_step_end(long step)
{
	if (step && step == fs_kill_after)
		raise(SIGKILL);
	if (step && step == fs_stop_after)
		raise(SIGSTOP);
}

int fs_replace(const char *tmp, const char *path)
{
	/* swapped with the old file, which is then removed: when a rename
	 * replaces a file, ext4 allocates and starts writing the new one's
	 * blocks at once, in the build's time; swapped, it leaves them to
	 * its usual writeback, and an old file that has not been written
	 * out yet (rebuilt within seconds) is freed for nothing */
	if (compat_exchange(tmp, path) == 0) {
		int err;
		if (unlink(tmp) == 0)
			return 0;
		/* `path` was a folder (EISDIR): put it back, and fail */
		err = errno;
		compat_exchange(tmp, path);
		errno = err;
		return -1;
	}
	/* no old file, or a file system that cannot swap */
	return rename(tmp, path);
}

/* Writes all `len` bytes of `data` to `fd`. Returns 0 or -1 (errno set). */
static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Creates `name` for writing (open flags O_WRONLY | O_CREAT | `flags`),
 * making the folder of `path` first when it is missing (only then).
 * Returns the descriptor, or -1 with errno set; *no_folder is set when
 * the folder could not be made. */
static int open_in_folder(const char *name, const char *path, int flags,
			  int *no_folder)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	const char *slash = strrchr(path, '/');

	*no_folder = 0;
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR) && slash &&
	    slash != path) {
		char *dir = xstrndup(path, (size_t)(slash - path));
		int r = fs_mkdirs(dir);
		free(dir);
		if (r < 0) {
			*no_folder = 1;
			return -1;
		}
		fd = open(name, O_WRONLY | O_CREAT | O_CLOEXEC | flags, 0644);
	}
	return fd;
}

int fs_write_atomic(const char *path, const void *data, size_t len,
		    int *changed, struct diag *d)
{
	struct buf tmp = BUF_INIT;
	int fd, no_folder;

	if (changed)
		*changed = 0;
	if (fs_same_content(path, data, len))
		return 0;
	buf_addf(&tmp, "%s.tmp-%ld-%lu", path, (long)getpid(),
		 (unsigned long)(uintptr_t)&tmp);
	fd = open_in_folder(tmp.ptr, path, O_TRUNC, &no_folder);
	if (no_folder) {
		diag_error(d, path, 0, 0, "cannot create folder: %s",
			   strerror(errno));
		buf_release(&tmp);
		return -1;
	}
	if (fd < 0)
		goto fail;
	if (write_all(fd, data, len) < 0) {
		close(fd);
		goto fail;
	}
	if (close(fd) < 0 || fs_replace(tmp.ptr, path) < 0)
		goto fail;
	buf_release(&tmp);
	if (changed)
		*changed = 1;
	return 0;
fail:
	diag_error(d, path, 0, 0, "cannot write file: %s", strerror(errno));
	unlink(tmp.ptr);
	buf_release(&tmp);
	return -1;
}

int fs_write_new(const char *path, const void *data, size_t len, struct diag *d)
{
	int no_folder, fd = -1, err;
	long step = fs_step_begin();

	if (step < 0)
		goto fail;
	fd = open_in_folder(path, path, O_EXCL, &no_folder);
	if (fd < 0)
		goto fail;
	if (write_all(fd, data, len) < 0) {
		err = errno;
		close(fd);
		errno = err;
		goto fail;
	}
	if (close(fd) < 0)
		goto fail;
	fs_step_end(step);
	return 0;
fail:
	err = errno;
	if (fd >= 0)
		unlink(path); /* half-written */
	return diag_error(d, path, 0, 0, "cannot write file: %s",
			  strerror(err));
}

/* Copies `len` bytes at `off` of `in` to the end of `out`. */
static int copy_range(int in, uint64_t off, int out, uint64_t len)
{
	uint64_t at = off;
	char chunk[65536];

	while (len) {
		ssize_t n = compat_copy_range(in, &at, out, (size_t)len);
		if (n > 0) {
			len -= (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return -1; /* the old file is shorter */
		break;             /* not supported here: read and write */
	}
	while (len) {
		size_t want = len < sizeof(chunk) ? (size_t)len : sizeof(chunk);
		ssize_t got = pread(in, chunk, want, (off_t)at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		if (write_all(out, chunk, (size_t)got) < 0)
			return -1;
		at += (uint64_t)got;
		len -= (uint64_t)got;
	}
	return 0;
}

uint64_t fs_stamp_of(const struct stat *st)
{
	uint64_t h = hash_u64(HASH_SEED, (uint64_t)st->st_size);
	struct timespec t = compat_mtime(st);

	h = hash_u64(h, (uint64_t)t.tv_sec);
	h = hash_u64(h, (uint64_t)t.tv_nsec);
	h = hash_u64(h, (uint64_t)st->st_ino);
	h = hash_u64(h, (uint64_t)st->st_dev);
	return h ? h : 1;
}

void fs_times(const struct stat *st, long long *mtime_ns, long long *ctime_ns)
{
	struct timespec m = compat_mtime(st), c = compat_ctime(st);

	*mtime_ns = (long long)m.tv_sec * 1000000000LL + m.tv_nsec;
	*ctime_ns = (long long)c.tv_sec * 1000000000LL + c.tv_nsec;
}

uint64_t fs_stamp(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return fs_stamp_of(&st);
}

int fs_write_pieces(const char *path, const char *old,
		    const struct fs_piece *pieces, size_t n, struct diag *d)
{
	int in = -1, out = -1, r = -1, made = 0, err;
	long step = fs_step_begin();
	size_t i;

	if (step < 0)
		goto done;
	in = open(old, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		goto done;
	out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (out < 0)
		goto done;
	made = 1;
	for (i = 0; i < n; i++) {
		const struct fs_piece *pc = &pieces[i];
		if (!pc->data) {
			if (copy_range(in, pc->off, out, pc->len) < 0)
				goto done;
			continue;
		}
		if (write_all(out, pc->data, (size_t)pc->len) < 0)
			goto done;
	}
	r = close(out);
	out = -1;
	if (r < 0)
		goto done;
	fs_step_end(step);
done:
	err = errno;
	if (out >= 0)
		close(out);
	if (in >= 0)
		close(in);
	if (r < 0) {
		if (made)
			unlink(path); /* half-written */
		diag_error(d, path, 0, 0, "cannot write file: %s",
			   strerror(err));
	}
	return r;
}

int fs_mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int r = 0;

	for (s = p + 1;; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0755) < 0 && errno != EEXIST) {
				r = -1;
				break;
			}
			if (!fs_is_dir(p)) {
				errno = ENOTDIR;
				r = -1;
				break;
			}
			*s = c;
			if (!c)
				break;
		}
	}
	free(p);
	return r;
}

int fs_remove_tree(const char *path)
{
	struct stat st;
	DIR *dir;
	struct dirent *e;
	int r = 0;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((e = readdir(dir))) {
		char *sub;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = path_join(path, e->d_name);
		if (fs_remove_tree(sub) < 0)
			r = -1;
		free(sub);
	}
	closedir(dir);
	if (rmdir(path) < 0)
		r = -1;
	return r;
}

int fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

time_t fs_mtime(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_mtime : 0;
}

char *fs_resolve(const char *path)
{
	char *copy, *real;
	struct buf out = BUF_INIT;
	size_t cut;

	if (!*path) {
		errno = ENOENT;
		return NULL;
	}
	/* the longest leading part that exists, resolved; the rest as
	 * written */
	copy = xstrdup(path);
	cut = strlen(copy);
	for (;;) {
		char saved = copy[cut];
		copy[cut] = '\0';
		real = realpath(cut ? copy : ".", NULL);
		copy[cut] = saved;
		if (real || (errno != ENOENT && errno != ENOTDIR) || !cut)
			break;
		while (cut && copy[cut - 1] == '/')
			cut--;
		while (cut && copy[cut - 1] != '/')
			cut--;
	}
	if (!real) {
		free(copy);
		return NULL;
	}
	/* the rest, lexically, as path_normalize() takes it: "x/../y" is
	 * "y", and a ".." that climbs over the resolved part goes to its
	 * parent */
	if (copy[cut]) {
		char *joined = path_join(real + 1, copy + cut), *norm;
		norm = *joined ? path_normalize(joined) : NULL;
		buf_addch(&out, '/');
		if (norm)
			buf_adds(&out, norm);
		free(norm);
		free(joined);
	} else {
		buf_adds(&out, real);
	}
	free(real);
	free(copy);
	return buf_detach(&out, NULL);
}
