/* serve: `stepbook serve`, the author's preview.
 *
 * Builds the book, serves output/site/ over HTTP with libmicrohttpd,
 * watches content/ and themes/ (see watch.h), rebuilds on change (debounced)
 * and reloads the open pages through server-sent events. A failed build is
 * shown in the terminal and as an overlay in the open pages, while the last
 * good site keeps being served. Only files inside the site folder are
 * served: ".." segments, and symlinks leading out, are refused. The reload
 * script is injected into pages as they are served, never written into
 * the built site.
 *
 * One thread serves every connection (epoll on Linux): a client holding
 * many connections open costs a file descriptor each, not a thread, and
 * is limited per address; a connection idle for a few seconds is closed.
 * The event streams of open pages wait suspended, not in a thread. */
#ifndef STEPBOOK_SERVE_H
#define STEPBOOK_SERVE_H

#include "build.h"

struct serve_opts {
	const char *bind; /* address to listen on, "127.0.0.1" */
	int port;         /* 8000; 0 picks a free port */
	int quiet;
	struct build_opts build;
};

/* Runs the server until SIGINT or SIGTERM. Returns the exit status: 0
 * after a clean stop, 1 when the server could not start. */
int serve_run(const struct serve_opts *o);

#endif
