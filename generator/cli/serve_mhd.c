#include "serve_mhd.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#ifndef STEPBOOK_MHD_SONAME
#define STEPBOOK_MHD_SONAME "libmicrohttpd.so.12"
#endif

struct serve_mhd serve_mhd;

#if defined(__GNUC__) && !defined(STEPBOOK_PORTABLE)
#define SERVE_SAME_TYPE(field, fn)                                            \
	_Static_assert(__builtin_types_compatible_p(                          \
			       __typeof__(serve_mhd.field), __typeof__(&fn)), \
		       #fn " is not declared as microhttpd.h declares it")
SERVE_SAME_TYPE(start_daemon, MHD_start_daemon);
SERVE_SAME_TYPE(stop_daemon, MHD_stop_daemon);
SERVE_SAME_TYPE(get_daemon_info, MHD_get_daemon_info);
SERVE_SAME_TYPE(queue_response, MHD_queue_response);
SERVE_SAME_TYPE(from_buffer, MHD_create_response_from_buffer);
SERVE_SAME_TYPE(from_callback, MHD_create_response_from_callback);
SERVE_SAME_TYPE(from_fd, MHD_create_response_from_fd);
SERVE_SAME_TYPE(add_header, MHD_add_response_header);
SERVE_SAME_TYPE(destroy_response, MHD_destroy_response);
SERVE_SAME_TYPE(suspend, MHD_suspend_connection);
SERVE_SAME_TYPE(resume, MHD_resume_connection);
#endif

int serve_mhd_open(void)
{
	static const char *const names[] = {
		"MHD_start_daemon",
		"MHD_stop_daemon",
		"MHD_get_daemon_info",
		"MHD_queue_response",
		"MHD_create_response_from_buffer",
		"MHD_create_response_from_callback",
		"MHD_create_response_from_fd",
		"MHD_add_response_header",
		"MHD_destroy_response",
		"MHD_suspend_connection",
		"MHD_resume_connection",
	};
	void *slots[sizeof(names) / sizeof(names[0])];
	void *lib;
	size_t i;

	if (serve_mhd.start_daemon)
		return 0;
	lib = dlopen(STEPBOOK_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	for (i = 0; lib && i < sizeof(names) / sizeof(names[0]); i++)
		if (!(slots[i] = dlsym(lib, names[i])))
			break;
	if (!lib || i < sizeof(names) / sizeof(names[0])) {
		fprintf(stderr, "stepbook: cannot serve: %s\n", dlerror());
		return -1;
	}
	/* data pointers to function pointers, as POSIX allows */
	memcpy(&serve_mhd.start_daemon, &slots[0], sizeof(slots[0]));
	memcpy(&serve_mhd.stop_daemon, &slots[1], sizeof(slots[1]));
	memcpy(&serve_mhd.get_daemon_info, &slots[2], sizeof(slots[2]));
	memcpy(&serve_mhd.queue_response, &slots[3], sizeof(slots[3]));
	memcpy(&serve_mhd.from_buffer, &slots[4], sizeof(slots[4]));
	memcpy(&serve_mhd.from_callback, &slots[5], sizeof(slots[5]));
	memcpy(&serve_mhd.from_fd, &slots[6], sizeof(slots[6]));
	memcpy(&serve_mhd.add_header, &slots[7], sizeof(slots[7]));
	memcpy(&serve_mhd.destroy_response, &slots[8], sizeof(slots[8]));
	memcpy(&serve_mhd.suspend, &slots[9], sizeof(slots[9]));
	memcpy(&serve_mhd.resume, &slots[10], sizeof(slots[10]));
	return 0;
}
