/*
 * log.c - levelled logging to stderr (see log.h).
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *log_prog = "danesim";
static enum log_level log_level_cur = LOG_LVL_WARN;

void
log_init(const char *progname, enum log_level level)
{
	if (progname != NULL)
		log_prog = progname;
	log_level_cur = level;
}

void
log_set_level(enum log_level level)
{
	log_level_cur = level;
}

enum log_level
log_get_level(void)
{
	return log_level_cur;
}

/* log_vemit - write one message line, optionally with an errno text. */
static void
log_vemit(const char *tag, int errnum, const char *fmt, va_list ap)
{
	char msg[2048];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (errnum != 0)
		fprintf(stderr, "%s: %s%s: %s\n", log_prog, tag, msg,
		    strerror(errnum));
	else
		fprintf(stderr, "%s: %s%s\n", log_prog, tag, msg);
	fflush(stderr);
}

#define LOG_BODY(level, tag, errnum)                                           \
	do {                                                                   \
		va_list ap;                                                    \
		if (log_level_cur < (level))                                   \
			return;                                                \
		va_start(ap, fmt);                                             \
		log_vemit((tag), (errnum), fmt, ap);                           \
		va_end(ap);                                                    \
	} while (0)

void
log_warn(const char *fmt, ...)
{
	int e = errno;

	LOG_BODY(LOG_LVL_WARN, "warning: ", e);
}

void
log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_WARN, "warning: ", 0);
}

void
log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_INFO, "", 0);
}

void
log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_DEBUG, "debug: ", 0);
}

void
log_err(const char *fmt, ...)
{
	int e = errno;

	LOG_BODY(LOG_LVL_ERROR, "error: ", e);
}

void
log_errx(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_ERROR, "error: ", 0);
}

void
fatal(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	va_start(ap, fmt);
	log_vemit("fatal: ", e, fmt, ap);
	va_end(ap);
	exit(2);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit("fatal: ", 0, fmt, ap);
	va_end(ap);
	exit(2);
}

void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vemit("panic: ", 0, fmt, ap);
	va_end(ap);
	abort();
}
