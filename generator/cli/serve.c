#include "serve.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "serve_mhd.h"
#include "watch.h"
#include "xalloc.h"

#define SERVE_PREFIX "/__stepbook/"

/* Connections from one address at once: a browser opens six per host,
 * the reload events' among them, so this is room for several browsers;
 * a client holding hundreds open (slowloris) is refused the rest. */
#define SERVE_PER_IP 64
/* Seconds a connection may stay idle, its request unfinished or between
 * requests, before it is closed. */
#define SERVE_IDLE_TIMEOUT 10
/* Seconds between two comments on an idle reload-event stream, so that
 * proxies and browsers keep it open. */
#define SERVE_PING_SECONDS 15
/* File descriptors kept free of connections, for the builds. */
#define SERVE_FDS_SPARE 64
/* Most connections at once, whatever the limit of open files. */
#define SERVE_MAX_CONNECTIONS (1u << 20)
/* Connections when the limit of open files cannot be read. */
#define SERVE_DEFAULT_CONNECTIONS 256u
/* How long a page waits before it reconnects to the reload events, in
 * milliseconds (the browser's EventSource retry). */
#define SERVE_RETRY_MS 1000
/* Bytes of an event stream sent at once. */
#define SERVE_EVENT_BLOCK 4096
/* How long, in ms, a request waits for a site being swapped in. */
#define SERVE_SWAP_WAIT_MS 100
/* Milliseconds the watcher waits for a change before the loop looks at
 * the pings, and the quiet that ends a burst of changes. */
#define SERVE_WATCH_MS 1000
#define SERVE_QUIET_MS 60

struct sse;

/* The server's state, shared by the main thread (builds) and the HTTP
 * thread, under `lock`. */
struct server {
	char *root; /* real path of the site folder */
	pthread_mutex_t lock;
	unsigned long generation; /* bumped after every build */
	unsigned long pings;      /* bumped every SERVE_PING_SECONDS */
	char *error;              /* diagnostics of the last build, or NULL */
	int stopping;
	struct sse *waiting; /* streams suspended until there is news */
};

/* A reload-event stream. With nothing to send it is suspended (the HTTP
 * thread serves every connection in turn: it must not wait), and
 * serve_wake() resumes it when a build ends, a ping is due or the server
 * stops. */
struct sse {
	struct server *srv;
	struct MHD_Connection *conn;
	unsigned long seen, pinged;
	int started;
	struct sse *next; /* in srv->waiting while suspended */
};

static volatile sig_atomic_t serve_stop;

static void serve_on_signal(int sig)
{
	(void)sig;
	serve_stop = 1;
}

static const char reload_js[] =
	"(function () {\n"
	"  if (!window.EventSource) return;\n"
	"  var box = null;\n"
	"  var es = new EventSource('" SERVE_PREFIX "events');\n"
	"  es.addEventListener('reload', function () { location.reload(); });\n"
	"  es.addEventListener('failed', function (e) {\n"
	"    if (!box) {\n"
	"      box = document.createElement('div');\n"
	"      box.setAttribute('role', 'alert');\n"
	"      box.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:60vh;"
	"overflow:auto;z-index:2147483647;background:#2b0a0a;color:#ffe9e9;"
	"font:14px/1.4 ui-monospace,monospace;padding:1rem;border-top:4px solid #ff5c5c';\n"
	"      document.body.appendChild(box);\n"
	"    }\n"
	"    box.textContent = 'stepbook: the build failed; showing the last good "
	"version.\\n\\n' + e.data;\n"
	"    box.style.whiteSpace = 'pre-wrap';\n"
	"  });\n"
	"})();\n";

static const char *serve_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ "html", "text/html; charset=utf-8" },
		{ "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "json", "application/json" },
		{ "webmanifest", "application/manifest+json" },
		{ "svg", "image/svg+xml" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "webp", "image/webp" },
		{ "ico", "image/x-icon" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "xml", "application/xml" },
		{ "epub", "application/epub+zip" },
		{ "woff2", "font/woff2" },
		{ "pdf", "application/pdf" },
	};
	const char *ext = path_ext(path);
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(*types); i++)
		if (!strcmp(types[i].ext, ext))
			return types[i].type;
	return "application/octet-stream";
}

static enum MHD_Result serve_queue(struct MHD_Connection *c, unsigned status,
				   struct MHD_Response *r, const char *type)
{
	enum MHD_Result ret;

	serve_mhd.add_header(r, "Content-Type", type);
	serve_mhd.add_header(r, "Cache-Control", "no-cache");
	serve_mhd.add_header(r, "X-Content-Type-Options", "nosniff");
	ret = serve_mhd.queue_response(c, status, r);
	serve_mhd.destroy_response(r);
	return ret;
}

static enum MHD_Result serve_text(struct MHD_Connection *c, unsigned status,
				  const char *text)
{
	struct MHD_Response *r = serve_mhd.from_buffer(strlen(text),
						       (void *)(uintptr_t)text,
						       MHD_RESPMEM_MUST_COPY);
	return serve_queue(c, status, r, "text/plain; charset=utf-8");
}

/* Sends an HTML file with the reload script added before </body>. */
/* Sends `page`, an HTML file's text, with the reload script added. */
static enum MHD_Result serve_page(struct MHD_Connection *c, unsigned status,
				  struct buf *page)
{
	struct buf out = BUF_INIT;
	const char *at;
	struct MHD_Response *r;
	static const char tag[] = "<script src=\"" SERVE_PREFIX
				  "reload.js\"></script>\n";

	at = strstr(page->ptr, "</body>");
	if (!at)
		at = page->ptr + page->len;
	buf_add(&out, page->ptr, (size_t)(at - page->ptr));
	buf_adds(&out, tag);
	buf_adds(&out, at);
	r = serve_mhd.from_buffer(out.len, out.ptr, MHD_RESPMEM_MUST_COPY);
	buf_release(&out);
	return serve_queue(c, status, r, "text/html; charset=utf-8");
}

/* Reads the HTML file at `path` into `page`. Returns 0 or -1. */
static int serve_read_html(const char *path, struct buf *page)
{
	struct diag d;
	int r;

	diag_init(&d);
	r = fs_read_file(path, NULL, page, &d);
	diag_release(&d);
	return r < 0 ? -1 : 0;
}

static enum MHD_Result serve_html(struct MHD_Connection *c, unsigned status,
				  const char *path)
{
	struct buf page = BUF_INIT;
	enum MHD_Result r;

	if (serve_read_html(path, &page) < 0) {
		buf_release(&page);
		return serve_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	r = serve_page(c, status, &page);
	buf_release(&page);
	return r;
}

static enum MHD_Result serve_not_found(struct server *srv,
				       struct MHD_Connection *c)
{
	char *path = path_join(srv->root, "404.html");
	enum MHD_Result r;

	if (fs_is_file(path))
		r = serve_html(c, MHD_HTTP_NOT_FOUND, path);
	else
		r = serve_text(c, MHD_HTTP_NOT_FOUND, "not found\n");
	free(path);
	return r;
}

/* Maps a URL path to a file in the site folder. Returns the file (the
 * caller's), or NULL with *status 403 (outside the folder) or 404. */
static char *serve_resolve(struct server *srv, const char *url,
			   unsigned *status)
{
	struct buf p = BUF_INIT;
	const char *s;
	char real[PATH_MAX];
	size_t rl = strlen(srv->root);

	*status = MHD_HTTP_NOT_FOUND;
	if (url[0] != '/' || strchr(url, '\\'))
		return NULL;
	for (s = url; *s;) {
		const char *e = strchr(s + 1, '/');
		size_t len = e ? (size_t)(e - s - 1) : strlen(s + 1);
		if (len == 2 && s[1] == '.' && s[2] == '.') {
			*status = MHD_HTTP_FORBIDDEN;
			return NULL;
		}
		s += len + 1;
	}
	buf_adds(&p, srv->root);
	buf_adds(&p, url);
	if (fs_is_dir(p.ptr)) {
		if (p.ptr[p.len - 1] != '/')
			buf_addch(&p, '/');
		buf_adds(&p, "index.html");
	} else if (!fs_is_file(p.ptr) && !*path_ext(p.ptr)) {
		buf_adds(&p, ".html");
	}
	if (!realpath(p.ptr, real)) {
		buf_release(&p);
		return NULL;
	}
	buf_release(&p);
	if (strncmp(real, srv->root, rl) || real[rl] != '/') {
		*status = MHD_HTTP_FORBIDDEN;
		return NULL;
	}
	if (!fs_is_file(real))
		return NULL;
	return xstrdup(real);
}

/* Whether the site folder is there, once a build that is swapping it in
 * is done. Where two folders cannot be exchanged in one step (see
 * compat_exchange()), the old site is moved aside and then the new one
 * moved in: a request between the two would find no site, for a moment
 * this waits out (at most SERVE_SWAP_WAIT_MS; the HTTP thread must not
 * wait long). */
static int serve_site_settle(const struct server *srv)
{
	const struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < SERVE_SWAP_WAIT_MS && !fs_is_dir(srv->root); i++)
		nanosleep(&ms, NULL);
	return fs_is_dir(srv->root);
}

/* Sends the site's file that `url` names. When there is none, sends
 * nothing and sets *missing (the caller may try again, or send the 404
 * page); a path that leaves the site gets 403. */
static enum MHD_Result serve_file(struct server *srv, struct MHD_Connection *c,
				  const char *url, int *missing)
{
	unsigned status;
	char *file = serve_resolve(srv, url, &status);
	enum MHD_Result r;

	*missing = 0;
	if (!file) {
		if (status == MHD_HTTP_FORBIDDEN)
			return serve_text(c, MHD_HTTP_FORBIDDEN, "forbidden\n");
		*missing = 1;
		return MHD_NO;
	}
	if (!strcmp(path_ext(file), "html")) {
		struct buf page = BUF_INIT;
		if (serve_read_html(file, &page) < 0) {
			*missing = 1;
			r = MHD_NO;
		} else {
			r = serve_page(c, MHD_HTTP_OK, &page);
		}
		buf_release(&page);
	} else {
		/* what was opened is checked: a FIFO is not waited for */
		int fd = open(file,
			      O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		struct stat st;
		struct MHD_Response *resp;
		if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
			if (fd >= 0)
				close(fd);
			*missing = 1;
			r = MHD_NO;
		} else {
			resp = serve_mhd.from_fd((uint64_t)st.st_size, fd);
			r = serve_queue(c, MHD_HTTP_OK, resp, serve_type(file));
		}
	}
	free(file);
	return r;
}

static ssize_t serve_sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
	struct sse *e = cls;
	struct server *srv = e->srv;
	struct buf msg = BUF_INIT;
	ssize_t n;

	(void)pos;
	pthread_mutex_lock(&srv->lock);
	if (!e->started) {
		e->started = 1;
		buf_addf(&msg, "retry: %d\n\n", SERVE_RETRY_MS);
		if (srv->error)
			goto report;
		goto send;
	}
	if (srv->stopping) {
		pthread_mutex_unlock(&srv->lock);
		return MHD_CONTENT_READER_END_OF_STREAM;
	}
	if (e->seen == srv->generation) {
		if (e->pinged != srv->pings) {
			e->pinged = srv->pings;
			buf_adds(&msg, ": ping\n\n");
			goto send;
		}
		/* nothing to say: set aside until serve_wake() */
		e->next = srv->waiting;
		srv->waiting = e;
		serve_mhd.suspend(e->conn);
		pthread_mutex_unlock(&srv->lock);
		return 0;
	}
	e->seen = srv->generation;
	e->pinged = srv->pings;
	if (!srv->error) {
		buf_addf(&msg, "event: reload\ndata: %lu\n\n", e->seen);
		goto send;
	}
report : {
	const char *line = srv->error;
	buf_adds(&msg, "event: failed\n");
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		buf_adds(&msg, "data: ");
		buf_add(&msg, line, len);
		buf_addch(&msg, '\n');
		line += len + (nl ? 1 : 0);
	}
	buf_addch(&msg, '\n');
}
send:
	pthread_mutex_unlock(&srv->lock);
	n = (ssize_t)(msg.len < max ? msg.len : max);
	memcpy(out, msg.ptr, (size_t)n);
	buf_release(&msg);
	return n;
}

/* Resumes every suspended event stream, to send what is new (a build, a
 * ping, the end). Called with srv->lock held. */
static void serve_wake(struct server *srv)
{
	while (srv->waiting) {
		struct sse *e = srv->waiting;
		srv->waiting = e->next;
		e->next = NULL;
		serve_mhd.resume(e->conn);
	}
}

static void serve_sse_free(void *cls)
{
	free(cls);
}

static enum MHD_Result serve_handle(void *cls, struct MHD_Connection *c,
				    const char *url, const char *method,
				    const char *version, const char *upload,
				    size_t *upload_size, void **con_cls)
{
	struct server *srv = cls;
	enum MHD_Result r;
	int missing;

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)con_cls;
	if (strcmp(method, MHD_HTTP_METHOD_GET) &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD)) {
		struct MHD_Response *resp =
			serve_mhd.from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
		serve_mhd.add_header(resp, "Allow", "GET, HEAD");
		return serve_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, resp,
				   "text/plain; charset=utf-8");
	}
	if (!strcmp(url, SERVE_PREFIX "reload.js")) {
		struct MHD_Response *resp =
			serve_mhd.from_buffer(sizeof(reload_js) - 1,
					      (void *)(uintptr_t)reload_js,
					      MHD_RESPMEM_PERSISTENT);
		return serve_queue(c, MHD_HTTP_OK, resp,
				   "text/javascript; charset=utf-8");
	}
	if (!strcmp(url, SERVE_PREFIX "events")) {
		struct sse *e = xcalloc(1, sizeof(*e));
		struct MHD_Response *resp;
		e->srv = srv;
		e->conn = c;
		pthread_mutex_lock(&srv->lock);
		e->seen = srv->generation;
		e->pinged = srv->pings;
		pthread_mutex_unlock(&srv->lock);
		resp = serve_mhd.from_callback(MHD_SIZE_UNKNOWN,
					       SERVE_EVENT_BLOCK,
					       serve_sse_read, e,
					       serve_sse_free);
		return serve_queue(c, MHD_HTTP_OK, resp, "text/event-stream");
	}
	r = serve_file(srv, c, url, &missing);
	if (missing && serve_site_settle(srv))
		r = serve_file(srv, c, url, &missing);
	if (missing)
		return serve_not_found(srv, c);
	return r;
}

/* Runs one build and publishes its outcome to the open pages. */
static void serve_build(struct server *srv, const struct serve_opts *o)
{
	struct diag d;
	struct build_report rep;
	char *err = NULL;

	diag_init(&d);
	build_book(&o->build, &rep, &d);
	if (d.errors) {
		char *text = NULL;
		size_t size = 0;
		FILE *mem = open_memstream(&text, &size);
		diag_print(&d, stderr);
		fprintf(stderr,
			"stepbook: %zu error%s; still serving the last "
			"good site\n",
			d.errors, d.errors == 1 ? "" : "s");
		if (mem) {
			diag_print(&d, mem);
			fclose(mem);
			err = text;
		}
	} else if (!o->quiet) {
		build_print_summary(&o->build, &rep);
	}
	diag_release(&d);
	pthread_mutex_lock(&srv->lock);
	free(srv->error);
	srv->error = err;
	srv->generation++;
	serve_wake(srv);
	pthread_mutex_unlock(&srv->lock);
}

/* Raises the limit of open files to the most allowed, for many clients at
 * once. Returns how many connections the server may then hold. */
static unsigned serve_raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return SERVE_DEFAULT_CONNECTIONS;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max;
		if (want == RLIM_INFINITY || want > SERVE_MAX_CONNECTIONS)
			want = SERVE_MAX_CONNECTIONS;
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > SERVE_MAX_CONNECTIONS)
		return SERVE_MAX_CONNECTIONS;
	return rl.rlim_cur > 2 * SERVE_FDS_SPARE
		       ? (unsigned)(rl.rlim_cur - SERVE_FDS_SPARE)
		       : SERVE_FDS_SPARE;
}

/* The address to listen on, from --bind and --port, in `a4` or `a6`
 * (IPv6 adds MHD_USE_IPv6 to *flags). NULL when --bind is no address. */
static const struct sockaddr *serve_address(const struct serve_opts *o,
					    struct sockaddr_in *a4,
					    struct sockaddr_in6 *a6,
					    unsigned *flags)
{
	memset(a4, 0, sizeof(*a4));
	memset(a6, 0, sizeof(*a6));
	if (inet_pton(AF_INET, o->bind, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons((uint16_t)o->port);
		return (const struct sockaddr *)a4;
	}
	if (inet_pton(AF_INET6, o->bind, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons((uint16_t)o->port);
		*flags |= MHD_USE_IPv6;
		return (const struct sockaddr *)a6;
	}
	return NULL;
}

/* Whether port `port` of `addr` (its family's size `len`) is taken:
 * binding a socket of its own to it fails with EADDRINUSE. Binds with
 * SO_REUSEADDR, as libmicrohttpd does, so that a port left in TIME_WAIT
 * by the last run is not taken for busy. */
static int serve_port_busy(const struct sockaddr *addr, int port)
{
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	const struct sockaddr *a;
	socklen_t len;
	int fd, one = 1, busy;

	if (addr->sa_family == AF_INET6) {
		memcpy(&a6, addr, sizeof(a6));
		a6.sin6_port = htons((uint16_t)port);
		a = (const struct sockaddr *)&a6;
		len = sizeof(a6);
	} else {
		memcpy(&a4, addr, sizeof(a4));
		a4.sin_port = htons((uint16_t)port);
		a = (const struct sockaddr *)&a4;
		len = sizeof(a4);
	}
	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	busy = bind(fd, a, len) < 0 && errno == EADDRINUSE;
	close(fd);
	return busy;
}

/* Says that the port of --port is taken, before anything is built, and
 * names the next free one. */
static void serve_port_taken(const struct serve_opts *o,
			     const struct sockaddr *addr)
{
	int p;

	fprintf(stderr,
		"stepbook: port %d on %s is in use (another stepbook "
		"serve?): ",
		o->port, o->bind);
	for (p = o->port + 1; p <= 65535 && p <= o->port + 100; p++)
		if (!serve_port_busy(addr, p))
			break;
	if (p <= 65535 && p <= o->port + 100)
		fprintf(stderr,
			"use --port %d, which is free, or --port 0 to "
			"have one picked\n",
			p);
	else
		fputs("use --port 0 to have a free one picked\n", stderr);
}

/* libmicrohttpd's messages: a client that goes away mid-response (a tab
 * closed on an event stream) is no news, so only what is not about one
 * connection's sending reaches the terminal. */
static void serve_mhd_log(void *cls, const char *fmt, va_list ap)
	COMPAT_PRINTF(2, 0);
static void serve_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (strstr(fmt, "Failed to send") || strstr(fmt, "Connection reset") ||
	    strstr(fmt, "closed by remote") || strstr(fmt, "Broken pipe"))
		return;
	fputs("stepbook: server: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* Rebuilds on every change the watcher reports, pinging the event
 * streams now and then, until a signal stops it. */
static void serve_loop(struct server *srv, const struct serve_opts *o,
		       struct watch *w)
{
	time_t last_ping = time(NULL);

	while (!serve_stop) {
		int r = watch_wait(w, SERVE_WATCH_MS, SERVE_QUIET_MS);
		if (r == 1 && !serve_stop)
			serve_build(srv, o);
		if (time(NULL) - last_ping >= SERVE_PING_SECONDS) {
			last_ping = time(NULL);
			pthread_mutex_lock(&srv->lock);
			srv->pings++;
			serve_wake(srv);
			pthread_mutex_unlock(&srv->lock);
		}
	}
}

int serve_run(const struct serve_opts *o)
{
	struct server srv;
	struct MHD_Daemon *daemon;
	struct sockaddr_in a4;
	struct sockaddr_in6 a6;
	const struct sockaddr *addr;
	/* one thread serves every connection, with epoll on Linux (no
	 * FD_SETSIZE limit, no thread per client); event streams wait
	 * suspended */
	unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	const char *watched[2] = { o->build.content, "themes" };
	char *site_dir, real[PATH_MAX];
	struct watch *w;
	struct sigaction sa;
	const union MHD_DaemonInfo *info;
	int port;

	addr = serve_address(o, &a4, &a6, &flags);
	if (!addr) {
		fprintf(stderr, "stepbook: invalid address '%s' for --bind\n",
			o->bind);
		return 2;
	}
	if (o->port && serve_port_busy(addr, o->port)) {
		serve_port_taken(o, addr);
		return 1;
	}
	if (serve_mhd_open() < 0)
		return 1;
	memset(&srv, 0, sizeof(srv));
	pthread_mutex_init(&srv.lock, NULL);
	serve_build(&srv, o);
	site_dir = path_join(o->build.out, "site");
	if (fs_mkdirs(site_dir) < 0 || !realpath(site_dir, real)) {
		fprintf(stderr, "stepbook: cannot use '%s': %s\n", site_dir,
			strerror(errno));
		free(site_dir);
		free(srv.error);
		return 1;
	}
	free(site_dir);
	srv.root = xstrdup(real);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = serve_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	daemon = serve_mhd.start_daemon(
		flags, (uint16_t)o->port, NULL, NULL, serve_handle, &srv,
		/* first, so that it takes every message */
		MHD_OPTION_EXTERNAL_LOGGER, serve_mhd_log, NULL,
		MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)SERVE_IDLE_TIMEOUT,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_PER_IP,
		MHD_OPTION_CONNECTION_LIMIT, serve_raise_fd_limit(),
		MHD_OPTION_END);
	if (!daemon) {
		fprintf(stderr, "stepbook: cannot listen on %s port %d: %s\n",
			o->bind, o->port, strerror(errno));
		free(srv.root);
		free(srv.error);
		return 1;
	}
	info = serve_mhd.get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : o->port;
	printf("stepbook: serving http://%s%s%s:%d/ (Ctrl-C to stop)\n",
	       addr->sa_family == AF_INET6 ? "[" : "", o->bind,
	       addr->sa_family == AF_INET6 ? "]" : "", port);
	fflush(stdout);

	w = watch_new(watched, 2);
	serve_loop(&srv, o, w);
	if (!o->quiet)
		fprintf(stderr, "stepbook: stopping\n");
	/* no stream may stay suspended when the daemon stops */
	pthread_mutex_lock(&srv.lock);
	srv.stopping = 1;
	serve_wake(&srv);
	pthread_mutex_unlock(&srv.lock);
	serve_mhd.stop_daemon(daemon);
	watch_free(w);
	free(srv.root);
	free(srv.error);
	pthread_mutex_destroy(&srv.lock);
	return 0;
}
