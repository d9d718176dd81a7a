/*
 * log.h - levelled logging to stderr, with and without errno.
 *
 * Every program of danesim logs through these functions, so one flag
 * (-v / -q) sets the verbosity everywhere. Messages carry the program
 * name given to log_init().
 */
#ifndef DSIM_LOG_H
#define DSIM_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERROR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* log_init - set the program name shown in messages and the level. */
void log_init(const char *progname, enum log_level level);
/* log_set_level - change the verbosity. */
void log_set_level(enum log_level level);
/* log_get_level - current verbosity. */
enum log_level log_get_level(void);

/* log_warn - warning with strerror(errno) appended. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_warnx - warning without errno. */
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_info - informational message (shown at LOG_LVL_INFO and above). */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_debug - debugging message (shown at LOG_LVL_DEBUG). */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_err - error message, with strerror(errno); does not exit. */
void log_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* log_errx - error message without errno; does not exit. */
void log_errx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* fatal - start-up / configuration failure with errno: log, exit(2). */
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
/* fatalx - start-up / configuration failure without errno: log, exit(2). */
void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));
/* panic - a broken invariant of our own: log and abort(). */
void panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif /* DSIM_LOG_H */
