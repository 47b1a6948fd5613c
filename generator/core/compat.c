#if !defined(STEPBOOK_PORTABLE) && defined(__linux__)
#define _GNU_SOURCE /* renameat2, copy_file_range, memmem */
#endif
#include "compat.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if COMPAT_LINUX
#include <malloc.h>
#include <stdalign.h>
#include <sys/inotify.h>
#include <sys/vfs.h>
#endif

int compat_exchange(const char *a, const char *b)
{
#if COMPAT_LINUX
	return renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
	(void)a;
	(void)b;
	errno = ENOSYS;
	return -1;
#endif
}

ssize_t compat_copy_range(int in, uint64_t *off, int out, size_t len)
{
#if COMPAT_LINUX
	loff_t at = (loff_t)*off;
	ssize_t n = copy_file_range(in, &at, out, NULL, len, 0);

	if (n > 0)
		*off = (uint64_t)at;
	return n;
#else
	(void)in;
	(void)off;
	(void)out;
	(void)len;
	errno = ENOSYS;
	return -1;
#endif
}

struct timespec compat_mtime(const struct stat *st)
{
#if defined(__APPLE__)
	return st->st_mtimespec;
#else
	return st->st_mtim;
#endif
}

struct timespec compat_ctime(const struct stat *st)
{
#if defined(__APPLE__)
	return st->st_ctimespec;
#else
	return st->st_ctim;
#endif
}

#if COMPAT_LINUX
int compat_is_kernel_file(int fd)
{
	static const unsigned long kinds[] = {
		0x9fa0,     /* proc */
		0x62656572, /* sysfs */
		0x64626720, /* debugfs */
		0x73636673, /* securityfs */
		0x74726163, /* tracefs */
		0x27e0eb,   /* cgroup */
		0x63677270, /* cgroup2 */
		0xcafe4a11, /* bpf */
		0x6e736673, /* nsfs */
		0x42494e4d, /* binfmt_misc */
		0x50495045, /* pipefs */
		0x534f434b, /* sockfs */
		0x1373,     /* devfs */
	};
	struct statfs sf;
	size_t i;

	if (fstatfs(fd, &sf) < 0)
		return 0;
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if ((unsigned long)sf.f_type == kinds[i])
			return 1;
	return 0;
}
#else
int compat_is_kernel_file(int fd)
{
	static const char *const roots[] = { "/proc", "/sys" };
	struct stat st, root;
	size_t i;

	if (fstat(fd, &st) < 0)
		return 0;
	for (i = 0; i < sizeof(roots) / sizeof(*roots); i++)
		if (stat(roots[i], &root) == 0 && S_ISDIR(root.st_mode) &&
		    root.st_dev == st.st_dev)
			return 1;
	return 0;
}
#endif

void *compat_alloc_pages(size_t len)
{
#if COMPAT_LINUX
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* only a hint: without transparent huge pages, 4 KiB pages */
	(void)madvise(p, len, MADV_HUGEPAGE);
	return p;
#else
	return calloc(1, len);
#endif
}

void compat_free_pages(void *p, size_t len)
{
#if COMPAT_LINUX
	if (p)
		munmap(p, len);
#else
	(void)len;
	free(p);
#endif
}

/* The size of a huge page on the machines this hint is for. */
#define COMPAT_HUGE_PAGE ((uintptr_t)2 << 20)

void compat_advise_huge(void *p, size_t len)
{
#if COMPAT_LINUX
	uintptr_t lo = ((uintptr_t)p + COMPAT_HUGE_PAGE - 1) &
		       ~(COMPAT_HUGE_PAGE - 1),
		  hi = ((uintptr_t)p + len) & ~(COMPAT_HUGE_PAGE - 1);

	if (lo < hi)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)len;
#endif
}

/* The block whose allocation grows the heap, at the start of a build,
 * by itself and the top pad: the stretch then advised huge. Under
 * M_MMAP_THRESHOLD, so that it comes from the heap. */
#define COMPAT_HEAP_FIRST ((size_t)30 << 20)
void compat_malloc_for_one_build(void)
{
#if COMPAT_LINUX && defined(__GLIBC__)
	char *p, *end;

	/* fewer brk and mprotect calls, and no trimming of memory that
	 * would only be asked for again */
	mallopt(M_TOP_PAD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 1 << 30);
	/* A build touches its heap page after page, and each new 4 KiB
	 * page is a fault: a few thousand in a rebuild of a large book,
	 * each of them microseconds on a virtual machine. The heap's first
	 * stretch (this block and the top pad, some 60 MiB), past its
	 * first COMPAT_HEAP_SMALL, is asked for in huge pages, where
	 * transparent huge pages are given on request; buffers up to 32
	 * MiB (glibc's most) come from the heap rather than from mappings
	 * of their own, to be in it. */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	p = malloc(COMPAT_HEAP_FIRST);
	end = sbrk(0);
	/* not so under an allocator of a checker's, which maps its own */
	if (p && end != (char *)-1 && p < end &&
	    (size_t)(end - p) >= COMPAT_HEAP_FIRST)
		compat_advise_huge(p + COMPAT_HEAP_SMALL,
				   (size_t)(end - p) - COMPAT_HEAP_SMALL);
	free(p);
#endif
}

void *compat_memfind(const void *hay, size_t hlen, const void *needle,
		     size_t nlen)
{
	const unsigned char *h = hay, *end, *n = needle;

	if (!nlen)
		return (void *)h;
	if (nlen > hlen)
		return NULL;
	end = h + (hlen - nlen) + 1;
	while (h < end) {
		h = memchr(h, n[0], (size_t)(end - h));
		if (!h)
			return NULL;
		if (!memcmp(h, n, nlen))
			return (void *)h;
		h++;
	}
	return NULL;
}

void *compat_memmem(const void *hay, size_t hlen, const void *needle,
		    size_t nlen)
{
#if COMPAT_LINUX
	return memmem(hay, hlen, needle, nlen);
#else
	return compat_memfind(hay, hlen, needle, nlen);
#endif
}

enum compat_dirent_type compat_dirent_type(const struct dirent *e)
{
#if COMPAT_LINUX
	switch (e->d_type) {
	case DT_DIR:
		return COMPAT_DT_DIR;
	case DT_REG:
		return COMPAT_DT_REG;
	case DT_LNK:
		return COMPAT_DT_LNK;
	case DT_UNKNOWN:
		return COMPAT_DT_UNKNOWN;
	default:
		return COMPAT_DT_OTHER;
	}
#else
	(void)e;
	return COMPAT_DT_UNKNOWN;
#endif
}

#if COMPAT_LINUX
int compat_load_int(const int *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void compat_store_int(int *p, int v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

long compat_add_long(long *p, long v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}
#else
/* one lock for all: these are rare (a text first read, a step begun) */
static pthread_mutex_t compat_lock = PTHREAD_MUTEX_INITIALIZER;

int compat_load_int(const int *p)
{
	int v;

	pthread_mutex_lock(&compat_lock);
	v = *p;
	pthread_mutex_unlock(&compat_lock);
	return v;
}

void compat_store_int(int *p, int v)
{
	pthread_mutex_lock(&compat_lock);
	*p = v;
	pthread_mutex_unlock(&compat_lock);
}

long compat_add_long(long *p, long v)
{
	long r;

	pthread_mutex_lock(&compat_lock);
	r = *p += v;
	pthread_mutex_unlock(&compat_lock);
	return r;
}
#endif

#if COMPAT_LINUX
/* what counts as a change: a file written, moved, made, removed or its
 * attributes changed, the folder itself removed */
#define COMPAT_IN_MASK                                              \
	(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
	 IN_DELETE | IN_DELETE_SELF | IN_MODIFY | IN_ATTRIB)

int compat_notify_open(void)
{
	return inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

int compat_notify_add(int fd, const char *path)
{
	return inotify_add_watch(fd, path, COMPAT_IN_MASK | IN_ONLYDIR);
}

void compat_notify_read(int fd,
			void (*fn)(void *ctx, int wd, const char *name,
				   unsigned what),
			void *ctx)
{
	alignas(struct inotify_event) char ev[8192];

	for (;;) {
		ssize_t len = read(fd, ev, sizeof(ev));
		char *p;
		if (len <= 0)
			break;
		for (p = ev; p < ev + len;) {
			struct inotify_event *e = (struct inotify_event *)p;
			unsigned what = 0;
			p += sizeof(*e) + e->len;
			if ((e->mask & (IN_CREATE | IN_MOVED_TO)) &&
			    (e->mask & IN_ISDIR))
				what |= COMPAT_NOTIFY_NEW_DIR;
			if (e->mask & IN_Q_OVERFLOW)
				what |= COMPAT_NOTIFY_LOST;
			if (e->mask & COMPAT_IN_MASK)
				what |= COMPAT_NOTIFY_CHANGE;
			fn(ctx, e->wd, e->len ? e->name : NULL, what);
		}
	}
}
#else
int compat_notify_open(void)
{
	errno = ENOSYS;
	return -1;
}

int compat_notify_add(int fd, const char *path)
{
	(void)fd;
	(void)path;
	errno = ENOSYS;
	return -1;
}

void compat_notify_read(int fd,
			void (*fn)(void *ctx, int wd, const char *name,
				   unsigned what),
			void *ctx)
{
	(void)fd;
	(void)fn;
	(void)ctx;
}
#endif
