/* serve_mhd: libmicrohttpd, opened at run time.
 *
 * `serve` opens the library with dlopen() rather than linking it: with
 * the TLS libraries it loads, it would add a millisecond and a half to the
 * start of every other command, a one-chapter rebuild among them. The
 * functions serve.c calls are pointers in serve_mhd, filled by
 * serve_mhd_open(). */
#ifndef STEPBOOK_SERVE_MHD_H
#define STEPBOOK_SERVE_MHD_H

#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>

/* The functions used, as microhttpd.h declares them (serve_mhd.c checks
 * them against it where the compiler can compare types). */
struct serve_mhd {
	struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t,
					   MHD_AcceptPolicyCallback, void *,
					   MHD_AccessHandlerCallback, void *,
					   ...);
	void (*stop_daemon)(struct MHD_Daemon *);
	const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *,
						       enum MHD_DaemonInfoType,
						       ...);
	enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int,
					  struct MHD_Response *);
	struct MHD_Response *(*from_buffer)(size_t, void *,
					    enum MHD_ResponseMemoryMode);
	struct MHD_Response *(*from_callback)(uint64_t, size_t,
					      MHD_ContentReaderCallback, void *,
					      MHD_ContentReaderFreeCallback);
	struct MHD_Response *(*from_fd)(size_t, int);
	enum MHD_Result (*add_header)(struct MHD_Response *, const char *,
				      const char *);
	void (*destroy_response)(struct MHD_Response *);
	void (*suspend)(struct MHD_Connection *);
	void (*resume)(struct MHD_Connection *);
};

extern struct serve_mhd serve_mhd;

/* Fills serve_mhd (once). Returns 0, or -1 with the reason printed. */
int serve_mhd_open(void);

#endif
