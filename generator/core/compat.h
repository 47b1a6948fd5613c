/* compat: every call stepbook makes that is Linux's or glibc's, each
 * behind one function with a plain POSIX fallback.
 *
 * On Linux the fast or exact call is used: swapping two files in one
 * rename, copying between files in the kernel, inotify, reading a file's
 * pages in with its mapping, tuning malloc, memmem. Everywhere else, and
 * on Linux too when built with STEPBOOK_PORTABLE defined (make
 * PORTABLE=1, which also builds without _GNU_SOURCE or _DEFAULT_SOURCE,
 * so that any such call left outside this module fails to compile), the
 * fallback is compiled instead; the callers are written so that the
 * fallback only costs speed: a swap the system cannot do is two renames,
 * a copy it cannot make is read and written, changes not notified are
 * looked for (see watch.c).
 *
 * Nothing here takes a lock or keeps state, but the notify functions'
 * descriptor, which the caller owns. */
#ifndef STEPBOOK_COMPAT_H
#define STEPBOOK_COMPAT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

struct dirent;
struct stat;

#if defined(__linux__) && !defined(STEPBOOK_PORTABLE)
#define COMPAT_LINUX 1
#else
#define COMPAT_LINUX 0
#endif

/* printf-style checking of a function's format string, where the
 * compiler offers it. */
#if defined(__GNUC__)
#define COMPAT_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define COMPAT_PRINTF(fmt, first)
#endif

/* Puts each of the existing files or folders `a` and `b` in the other's
 * place, in one step. Returns 0, or -1 with errno set: ENOSYS or EINVAL
 * when the system or the file system cannot (then do it in two renames),
 * or the error of the swap. */
int compat_exchange(const char *a, const char *b);
/* What to pass for "swap" where a call takes rename flags. */
#define COMPAT_EXCHANGE 1u

/* Copies up to `len` bytes at *off of `in` to the current position of
 * `out`, in the kernel, advancing *off. Returns the bytes copied, 0 at
 * the end of `in`, or -1 with errno set (ENOSYS, EXDEV, EINVAL...: then
 * read and write instead). */
ssize_t compat_copy_range(int in, uint64_t *off, int out, size_t len);

/* The modification and change times of `st`, to the nanosecond (POSIX
 * 2008's st_mtim and st_ctim; Darwin names them otherwise). */
struct timespec compat_mtime(const struct stat *st);
struct timespec compat_ctime(const struct stat *st);

/* Whether `fd` (a file that says it is regular) belongs to the kernel's
 * own file systems, /proc, /sys and the like, whose contents are the
 * machine's. On Linux by the file system's type; elsewhere by being on
 * the device of /proc or /sys, where there are such folders. */
int compat_is_kernel_file(int fd);

/* The mmap() flag that reads a mapping's pages in at once (0 when there
 * is none: they are then read as they are touched). */
#if COMPAT_LINUX
#include <sys/mman.h>
#define COMPAT_MAP_POPULATE MAP_POPULATE
#else
#define COMPAT_MAP_POPULATE 0
#endif

/* A zeroed block of `len` bytes for a large image drawn once: on Linux
 * a mapping the kernel may back with huge pages, which are faulted in
 * far fewer steps than one per 4 KiB page; elsewhere calloc(). NULL when
 * out of memory. Freed with compat_free_pages(), given the same `len`. */
void *compat_alloc_pages(size_t len);
void compat_free_pages(void *p, size_t len);

/* Asks that the whole huge pages within the `len` bytes at `p` (part of
 * a large block about to be filled, such as an output's buffer) be
 * backed by huge pages, faulted in 2 MiB at a time. Only a hint; nothing
 * where it cannot be given. */
void compat_advise_huge(void *p, size_t len);

/* The start of a build's heap left in small pages by
 * compat_malloc_for_one_build(): all the heap of a book of a few hundred
 * chapters. There, 2 MiB pages add more memory than they save time: a
 * page touched anywhere is backed whole, and buffers grown by doubling
 * leave much of their room untouched. */
#define COMPAT_HEAP_SMALL ((size_t)16 << 20)

/* Tells the allocator that the process builds once and exits: grow the
 * heap in large steps, never give it back, and back its first stretch,
 * past COMPAT_HEAP_SMALL, with huge pages where the system gives them on
 * request. Nothing where it cannot be told. */
void compat_malloc_for_one_build(void);

/* As compat_memmem(), by memchr() on the needle's first byte, which
 * skips many bytes at a time: faster than memmem() (which shifts by at
 * most the needle's length) when that byte is rare in `hay`, as the
 * private-use placeholders' 0xEE is in a text. */
void *compat_memfind(const void *hay, size_t hlen, const void *needle,
		     size_t nlen);

/* The first place `needle` (nlen bytes) occurs in `hay` (hlen bytes), or
 * NULL; an empty needle is found at `hay`. */
void *compat_memmem(const void *hay, size_t hlen, const void *needle,
		    size_t nlen);

/* What a folder entry is, as readdir() says where it can (d_type). */
enum compat_dirent_type {
	COMPAT_DT_UNKNOWN = 0, /* it does not say: fstatat() it */
	COMPAT_DT_DIR,
	COMPAT_DT_REG,
	COMPAT_DT_LNK,
	COMPAT_DT_OTHER /* a FIFO, a socket, a device */
};
enum compat_dirent_type compat_dirent_type(const struct dirent *e);

/* Reading an int another thread writes: the value written and what
 * that thread wrote before it are both seen (acquire and release). */
int compat_load_int(const int *p);
void compat_store_int(int *p, int v);
/* Adds `v` to *p at once for every thread; returns the new value. */
long compat_add_long(long *p, long v);

/* Change notification (inotify). compat_notify_open() returns a
 * descriptor that polls readable when something changes in a folder
 * added to it, or -1 with errno set (ENOSYS where there is no such
 * thing: look for changes instead). Close it with close(). */
int compat_notify_open(void);
/* Watches the folder `path` itself (not its subfolders): returns the
 * watch's id, or -1. */
int compat_notify_add(int fd, const char *path);
/* What compat_notify_read() reports of an event. */
#define COMPAT_NOTIFY_CHANGE 1u  /* something in the folder changed */
#define COMPAT_NOTIFY_NEW_DIR 2u /* ... a folder appeared: watch it */
#define COMPAT_NOTIFY_LOST 4u    /* events were lost: assume a change */
/* Reads the pending events of `fd` without waiting, calling `fn` for
 * each with the id of the folder's watch, the entry's name (NULL for the
 * folder itself) and what happened (COMPAT_NOTIFY_*). */
void compat_notify_read(int fd,
			void (*fn)(void *ctx, int wd, const char *name,
				   unsigned what),
			void *ctx);

#endif
