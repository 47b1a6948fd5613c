/* gen: writes a pathological book for tests/pathological/run.sh, and
 * times a command.
 *
 *     gen KIND N DIR
 *
 * creates DIR/content/ (book.yml and the chapters) and, for some kinds,
 * DIR/themes/. N scales the input (items, nesting depth, bytes...; see
 * each kind below). Exit status 0, or 2 on a usage or write error.
 *
 *     gen --time SECONDS OUTPUT CMD [ARG...]
 *
 * runs CMD with its stdout and stderr in the file OUTPUT, kills it after
 * SECONDS, and prints "STATUS USER_MS SYS_MS WALL_MS": its exit status
 * (124 when it timed out, 128+N when killed by signal N), the processor
 * time it used in user space and in the kernel (all threads), and the
 * wall-clock time. User time is what a busy, shared machine disturbs
 * least. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *gen_dir;

static void gen_die(const char *what)
{
	fprintf(stderr, "gen: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void gen_mkdir(const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", gen_dir, rel);
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		gen_die(path);
}

static FILE *gen_open(const char *rel)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", gen_dir, rel);
	f = fopen(path, "w");
	if (!f)
		gen_die(path);
	return f;
}

static void gen_close(FILE *f)
{
	if (ferror(f) || fclose(f) != 0)
		gen_die("write");
}

/* book.yml without a chapter list: the chapters sort by name. */
static void gen_book(void)
{
	FILE *f = gen_open("content/book.yml");

	fputs("title: Pathological\nauthor: Tests\nlanguage: en\n"
	      "identifier: urn:uuid:00000000-0000-4000-8000-000000000000\n", f);
	gen_close(f);
}

static FILE *gen_chapter(const char *name, const char *title)
{
	char rel[256];
	FILE *f;

	snprintf(rel, sizeof(rel), "content/%s", name);
	f = gen_open(rel);
	fprintf(f, "---\ntitle: %s\n---\n\n", title);
	return f;
}

static void gen_repeat(FILE *f, const char *s, long n)
{
	long i;

	for (i = 0; i < n; i++)
		fputs(s, f);
}

/* A paragraph of ordinary prose, about 400 bytes. */
static void gen_prose(FILE *f, long i)
{
	fprintf(f, "Paragraph %ld has *emphasis*, **strong text**, `code`, "
		"a [link](https://example.com/%ld) and \"quotes\" -- enough "
		"to keep the inline parser busy. The quick brown fox jumps "
		"over the lazy dog; pack my box with five dozen liquor jugs. "
		"Sphinx of black quartz, judge my vow. How vexingly quick "
		"daft zebras jump! The five boxing wizards jump quickly.\n\n",
		i, i);
}

static void gen_target(void)
{
	FILE *f = gen_chapter("b.md", "Target");

	fputs("Top.\n\n## Target heading\n\nText.\n", f);
	gen_close(f);
}

static long gen_ms(const struct timeval *tv)
{
	return (long)tv->tv_sec * 1000 + (long)tv->tv_usec / 1000;
}

static int gen_time(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	long limit, waited_ms = 0;
	int status = 0, fd, timed_out = 0, code;
	pid_t pid;

	if (argc < 5) {
		fputs("usage: gen --time SECONDS OUTPUT CMD [ARG...]\n", stderr);
		return 2;
	}
	limit = strtol(argv[2], NULL, 10) * 1000;
	fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0666);
	if (fd < 0)
		gen_die(argv[3]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		gen_die("fork");
	if (pid == 0) {
		dup2(fd, 1);
		dup2(fd, 2);
		close(fd);
		execvp(argv[4], argv + 4);
		perror(argv[4]);
		_exit(127);
	}
	close(fd);
	for (;;) {
		pid_t r = wait4(pid, &status, WNOHANG, &ru);
		if (r == pid)
			break;
		if (r < 0 && errno != EINTR)
			gen_die("wait4");
		if (!timed_out && waited_ms >= limit) {
			kill(pid, SIGKILL);
			timed_out = 1;
		}
		{
			struct timespec nap = { 0, 5000000 };
			nanosleep(&nap, NULL);
		}
		waited_ms += 5;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (timed_out)
		code = 124;
	else if (WIFSIGNALED(status))
		code = 128 + WTERMSIG(status);
	else
		code = WEXITSTATUS(status);
	printf("%d %ld %ld %ld\n", code, gen_ms(&ru.ru_utime),
	       gen_ms(&ru.ru_stime),
	       (long)(t1.tv_sec - t0.tv_sec) * 1000 +
		       (t1.tv_nsec - t0.tv_nsec) / 1000000);
	return 0;
}

int main(int argc, char **argv)
{
	const char *kind;
	long n, i;
	FILE *f;

	if (argc > 1 && !strcmp(argv[1], "--time"))
		return gen_time(argc, argv);
	if (argc != 4) {
		fputs("usage: gen KIND N DIR\n", stderr);
		return 2;
	}
	kind = argv[1];
	n = strtol(argv[2], NULL, 10);
	gen_dir = argv[3];
	if (n < 1) {
		fputs("gen: N must be positive\n", stderr);
		return 2;
	}
	gen_mkdir("");
	gen_mkdir("content");
	gen_book();

	if (!strcmp(kind, "nested-lists")) {
		/* N list items, each nested in the one before: "- - - ... x" */
		f = gen_chapter("a.md", "Nested lists");
		gen_repeat(f, "- ", n);
		fputs("deep\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "nested-indented-lists")) {
		/* N items, each indented under the one before (at most 100
		 * levels a line, so the file stays linear in N) */
		f = gen_chapter("a.md", "Indented lists");
		for (i = 0; i < n; i++) {
			long k, depth = i % 100;
			for (k = 0; k < depth; k++)
				fputs("  ", f);
			fprintf(f, "- item %ld\n", i);
		}
		gen_close(f);
	} else if (!strcmp(kind, "nested-quotes")) {
		f = gen_chapter("a.md", "Nested quotes");
		gen_repeat(f, "> ", n);
		fputs("deep\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "nested-brackets")) {
		f = gen_chapter("a.md", "Nested brackets");
		gen_repeat(f, "[", n);
		fputs("x", f);
		gen_repeat(f, "]", n);
		fputs("\n\n", f);
		gen_repeat(f, "[a](", n);
		fputs("\n\n", f);
		gen_repeat(f, "![", n);
		fputs("\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "nested-emphasis")) {
		f = gen_chapter("a.md", "Nested emphasis");
		gen_repeat(f, "*a **a ", n);
		fputs("b", f);
		gen_repeat(f, " a** a*", n);
		fputs("\n\n## ", f);
		gen_repeat(f, "_a ", n);
		fputs("b", f);
		gen_repeat(f, " a_", n);
		fputs("\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "big")) {
		/* a chapter of about N bytes of ordinary Markdown */
		long written = 0;
		f = gen_chapter("a.md", "A big chapter");
		for (i = 0; written < n; i++) {
			if (i % 20 == 0) {
				fprintf(f, "## Section %ld\n\n", i);
				written += 16;
			}
			if (i % 50 == 7) {
				fprintf(f, "- [ ] Do thing %ld\n- item\n\n", i);
				written += 30;
			}
			gen_prose(f, i);
			written += 400;
		}
		gen_close(f);
	} else if (!strcmp(kind, "too-big")) {
		/* a chapter of N MiB: over FS_MAX_FILE (64 MiB) it is refused */
		static char line[1024];
		long lines = n * 1024;
		memset(line, 'a', sizeof(line) - 1);
		line[sizeof(line) - 2] = '\n';
		f = gen_chapter("a.md", "Too big");
		for (i = 0; i < lines; i++)
			fputs(line, f);
		gen_close(f);
	} else if (!strcmp(kind, "long-line")) {
		/* N bytes on one line */
		f = gen_chapter("a.md", "A long line");
		for (i = 0; i < n; i++)
			fputc("abcdefgh ij *"[i % 13], f);
		fputs("\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "long-heading")) {
		/* one heading of N bytes */
		f = gen_chapter("a.md", "A long heading");
		fputs("## ", f);
		for (i = 0; i < n; i++)
			fputc("Abc de "[i % 7], f);
		fputs("\n\n- [ ] ", f);
		for (i = 0; i < n; i++)
			fputc("Abc de "[i % 7], f);
		fputs("\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "tasks")) {
		f = gen_chapter("a.md", "Many tasks");
		for (i = 0; i < n; i++)
			fprintf(f, "- [%c] Task number %ld\n", i % 3 ? ' ' : 'x', i);
		gen_close(f);
	} else if (!strcmp(kind, "tasks-same")) {
		f = gen_chapter("a.md", "Many equal tasks");
		for (i = 0; i < n; i++)
			fputs("- [ ] Do the same thing\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "headings-same")) {
		f = gen_chapter("a.md", "Many equal headings");
		for (i = 0; i < n; i++)
			fputs("## Same heading\n\ntext\n\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "headings-explicit")) {
		/* N headings with explicit ids, between paragraphs */
		f = gen_chapter("a.md", "Explicit ids");
		for (i = 0; i < n; i++)
			fprintf(f, "## Heading %ld {#h-%ld}\n\n%s\n\n", i, i,
				"Some text to make the file longer, as a real "
				"chapter would be between its headings.");
		gen_close(f);
	} else if (!strcmp(kind, "headings-many")) {
		/* N distinct headings, and N links to them from one page */
		f = gen_chapter("a.md", "Many headings");
		for (i = 0; i < n; i++)
			fprintf(f, "## Heading %ld\n\nSee [next](#heading-%ld) "
				"and [there](c.md#heading-%ld).\n\n", i,
				(i + 1) % n, i);
		gen_close(f);
		f = gen_chapter("c.md", "Linker");
		for (i = 0; i < n; i++)
			fprintf(f, "## Heading %ld\n\n[back](a.md#heading-%ld)\n\n",
				i, i);
		gen_close(f);
	} else if (!strcmp(kind, "links-one")) {
		/* N links to one heading of another chapter, and N more from
		 * N different sections */
		gen_target();
		f = gen_chapter("a.md", "Many links");
		for (i = 0; i < n; i++)
			fputs("[to target](b.md#target-heading) ", f);
		fputs("\n\n", f);
		for (i = 0; i < n; i++)
			fprintf(f, "## Part %ld\n\n[to target](b.md#target-heading)\n\n",
				i);
		gen_close(f);
	} else if (!strcmp(kind, "links-broken")) {
		/* N links to missing headings: N errors, all reported */
		gen_target();
		f = gen_chapter("a.md", "Broken links");
		for (i = 0; i < n; i++)
			fprintf(f, "Text [to nowhere](b.md#missing-%ld) and on.\n\n",
				i);
		gen_close(f);
	} else if (!strcmp(kind, "chapters")) {
		/* N small chapters, each linking to the next */
		char name[64];
		for (i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "c%06ld.md", i);
			f = gen_chapter(name, "Chapter");
			fprintf(f, "## Part\n\n- [ ] Task\n\n[next](c%06ld.md#part)\n",
				(i + 1) % n);
			gen_close(f);
		}
	} else if (!strcmp(kind, "chapters-empty")) {
		/* N chapter files (for the SITE_MAX_CHAPTERS limit) */
		char name[64];
		for (i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "content/c%06ld.md", i);
			gen_close(gen_open(name));
		}
	} else if (!strcmp(kind, "partial-loop")) {
		/* a theme override whose template includes itself */
		f = gen_chapter("a.md", "Partial loop");
		fputs("text\n", f);
		gen_close(f);
		gen_mkdir("themes");
		gen_mkdir("themes/default");
		gen_mkdir("themes/default/templates");
		f = gen_open("themes/default/templates/loop.mustache");
		fputs("x{{>loop}}", f);
		gen_close(f);
		f = gen_open("themes/default/templates/404.mustache");
		fputs("{{>loop}}\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "deep-yaml")) {
		/* front matter nested N deep */
		f = gen_open("content/a.md");
		fputs("---\ntitle: Deep\ndeep: ", f);
		gen_repeat(f, "[", n);
		gen_repeat(f, "]", n);
		fputs("\n---\n\ntext\n", f);
		gen_close(f);
	} else if (!strcmp(kind, "yaml-aliases")) {
		/* front matter whose aliases expand to 10^N nodes */
		f = gen_open("content/a.md");
		fputs("---\ntitle: Aliases\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n",
		      f);
		for (i = 1; i < n; i++)
			fprintf(f, "l%ld: &l%ld [*l%ld, *l%ld, *l%ld, *l%ld, *l%ld, "
				"*l%ld, *l%ld, *l%ld, *l%ld, *l%ld]\n", i, i,
				i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
				i - 1, i - 1, i - 1);
		fputs("---\n\ntext\n", f);
		gen_close(f);
	} else {
		fprintf(stderr, "gen: unknown kind '%s'\n", kind);
		return 2;
	}
	return 0;
}
