#include "starter.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "fsutil.h"
#include "theme.h"
#include "xalloc.h"

/* The identifier of starter/content/book.yml, replaced by a fresh one. */
#define STARTER_ID "urn:uuid:00000000-0000-4000-8000-000000000000"

/* Whether `path` is missing or an empty folder; *err set to why not. */
static int starter_free(const char *path, const char **err)
{
	struct stat st;
	DIR *dh;
	struct dirent *e;
	int empty = 1;

	*err = NULL;
	if (lstat(path, &st) < 0)
		return errno == ENOENT;
	if (!S_ISDIR(st.st_mode)) {
		*err = "it exists and is not a folder";
		return 0;
	}
	dh = opendir(path);
	if (!dh) {
		*err = strerror(errno);
		return 0;
	}
	while ((e = readdir(dh)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(dh);
	if (!empty)
		*err = "it is not empty";
	return empty;
}

/* A version 4 UUID from the system's random source, as "urn:uuid:...";
 * -1 when there is none to read. */
static int starter_uuid(struct buf *out)
{
	unsigned char r[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got;
	int i;

	if (fd < 0)
		return -1;
	got = read(fd, r, sizeof(r));
	close(fd);
	if (got != (ssize_t)sizeof(r))
		return -1;
	r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
	buf_adds(out, "urn:uuid:");
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf_addch(out, '-');
		buf_addf(out, "%02x", r[i]);
	}
	return 0;
}

/* Writes every embedded file under `prefix` into `dir`, by its path
 * after the prefix; book.yml gets `id` for STARTER_ID when `id` is not
 * NULL. Returns the count, or -1 after recording the error. */
static long starter_copy(const char *prefix, const char *dir, const char *id,
			 struct diag *d)
{
	size_t i, plen = strlen(prefix);
	long n = 0;

	for (i = 0; i < embedded_count; i++) {
		const struct embedded_file *e = &embedded_files[i];
		char *path, *folder, *slash;
		struct buf data = BUF_INIT;
		const char *at;
		int r;

		if (strncmp(e->path, prefix, plen))
			continue;
		buf_add(&data, e->data, e->len);
		if (id && (at = strstr(data.ptr, STARTER_ID))) {
			struct buf b = BUF_INIT;
			buf_add(&b, data.ptr, (size_t)(at - data.ptr));
			buf_adds(&b, id);
			buf_adds(&b, at + strlen(STARTER_ID));
			buf_release(&data);
			data = b;
		}
		path = path_join(dir, e->path + plen);
		folder = xstrdup(path);
		slash = strrchr(folder, '/');
		if (slash)
			*slash = '\0';
		r = slash ? fs_mkdirs(folder) : 0;
		if (r < 0)
			diag_error(d, folder, 0, 0,
				   "cannot make the folder: %s",
				   strerror(errno));
		else
			r = fs_write_atomic(path, data.ptr, data.len, NULL, d);
		free(folder);
		free(path);
		buf_release(&data);
		if (r < 0)
			return -1;
		n++;
	}
	return n;
}

int starter_write(const char *dir, size_t *n_files, struct diag *d)
{
	char *content = path_join(dir, "content");
	struct buf id = BUF_INIT;
	const char *why;
	long n;

	*n_files = 0;
	if (!starter_free(content, &why)) {
		diag_error(d, content, 0, 0,
			   "not writing a new book here: %s "
			   "(init only writes into a missing or empty content/)",
			   why);
		free(content);
		return -1;
	}
	if (starter_uuid(&id) < 0) {
		diag_error(d, "/dev/urandom", 0, 0,
			   "cannot read random bytes "
			   "for the book's identifier");
		free(content);
		return -1;
	}
	n = starter_copy("starter/", dir, id.ptr, d);
	buf_release(&id);
	free(content);
	if (n < 0)
		return -1;
	*n_files = (size_t)n;
	return 0;
}

int starter_export_theme(const char *name, const char *dir, size_t *n_files,
			 struct diag *d)
{
	struct buf prefix = BUF_INIT;
	const char *why;
	size_t i;
	long n;

	*n_files = 0;
	buf_addf(&prefix, "themes/%s/", name);
	for (i = 0; i < embedded_count && !strchr(name, '/'); i++)
		if (!strncmp(embedded_files[i].path, prefix.ptr, prefix.len))
			break;
	if (strchr(name, '/') || i == embedded_count) {
		struct buf list = BUF_INIT;
		theme_list_shipped(&list);
		diag_error(d, NULL, 0, 0,
			   "no shipped theme '%s' (the shipped "
			   "themes: %s)",
			   name, list.ptr);
		buf_release(&list);
		buf_release(&prefix);
		return -1;
	}
	if (!starter_free(dir, &why)) {
		diag_error(d, dir, 0, 0, "not exporting the theme here: %s",
			   why);
		buf_release(&prefix);
		return -1;
	}
	n = starter_copy(prefix.ptr, dir, NULL, d);
	buf_release(&prefix);
	if (n < 0)
		return -1;
	*n_files = (size_t)n;
	return 0;
}
