/*
 * rs_serve.c - refsut as a delivery server, a child per delivery; see
 * rs_serve.h.
 */
#include "rs_serve.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

/* EX_OSERR (sysexits.h): the status of a delivery that never started. */
#define RS_RC_NO_CHILD 71

int
rs_job_parse(char *line, struct rs_job *j, char *err, size_t errlen)
{
	char *f[5], *p = line, *end;
	long n;
	int i;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; i < 5; i++) {
		f[i] = p;
		p = strchr(p, '\t');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	if (i != 4) {
		snprintf(err, errlen,
		    "%s fields, want 5 (KEY ATTEMPT SENDER MESSAGE RCPT, "
		    "tab-separated)",
		    i < 4 ? "fewer" : "more");
		return -1;
	}
	if (f[0][0] == '\0' || f[0][0] == '.' || strchr(f[0], '/') != NULL) {
		snprintf(err, errlen, "key \"%s\" is no file name", f[0]);
		return -1;
	}
	errno = 0;
	n = strtol(f[1], &end, 10);
	if (errno != 0 || end == f[1] || *end != '\0' || n < 1 || n > 1000) {
		snprintf(err, errlen, "attempt \"%s\" is not 1..1000", f[1]);
		return -1;
	}
	if (f[3][0] == '\0' || f[4][0] == '\0') {
		snprintf(err, errlen, "no %s",
		    f[3][0] == '\0' ? "message file" : "recipient");
		return -1;
	}
	j->key = f[0];
	j->attempt = (int)n;
	j->sender = f[2];
	j->message = f[3];
	j->rcpt = f[4];
	return 0;
}

const char *
rs_status_word(int rc)
{
	switch (rc) {
	case 0:
		return "delivered";
	case 75:
		return "deferred";
	case 69:
		return "bounced";
	default:
		return "unknown";
	}
}

/*
 * put - the file at path replaced by the formatted text, in one write (a
 * reader sees it empty or whole, as the profile's status step wants).
 * 0, or -1 (logged).
 */
static int __attribute__((format(printf, 2, 3)))
put(const char *path, const char *fmt, ...)
{
	char text[128];
	va_list ap;
	ssize_t w = 0;
	size_t len;
	int fd;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	len = strlen(text);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd >= 0 && len > 0)
		w = write(fd, text, len);
	if (fd < 0 || w != (ssize_t)len) {
		log_warn("serve: %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
rs_serve_open(const char *dir)
{
	static const char *const subs[] = {"status", "pids"};
	struct stat st;
	char *path;
	size_t i;
	int fd;

	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		path = xasprintf("%s/%s", dir, subs[i]);
		if (mkdir(path, 0755) < 0 && errno != EEXIST) {
			log_err("serve: %s", path);
			free(path);
			return -1;
		}
		free(path);
	}
	path = xasprintf("%s/jobs", dir);
	if (lstat(path, &st) == 0 && !S_ISFIFO(st.st_mode))
		(void)unlink(path);
	if (mkfifo(path, 0600) < 0 && errno != EEXIST) {
		log_err("serve: mkfifo %s", path);
		free(path);
		return -1;
	}
	/* Read-write: a reader that also holds a writer never sees the
	 * end of the file between two injects. */
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		log_err("serve: %s", path);
	free(path);
	return fd;
}

int
rs_serve_detach(const char *dir)
{
	char *path = xasprintf("%s/serve.pid", dir);
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) < 0) {
		log_err("serve: fork");
		free(path);
		return -1;
	}
	if (pid > 0) {
		if (put(path, "%ld\n", (long)pid) < 0) {
			kill(pid, SIGTERM);
			free(path);
			return -1;
		}
		free(path);
		return 1;
	}
	free(path);
	/* The server's output, and its deliveries', goes to
	 * DIR/refsut.out: the step that started it must not wait for it. */
	(void)setsid();
	path = xasprintf("%s/refsut.out", dir);
	if (freopen("/dev/null", "r", stdin) == NULL ||
	    freopen(path, "a", stdout) == NULL ||
	    dup2(fileno(stdout), STDERR_FILENO) < 0) {
		log_err("serve: %s", path);
		_exit(2);
	}
	free(path);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* the children are reaped by the kernel */
	signal(SIGCHLD, SIG_IGN);
	return 0;
}

/* run_job - the child's part: deliver j, keep its files, exit. */
static void __attribute__((noreturn)) run_job(const char *dir,
    const struct rs_job *j, int nargs, char **args, rs_deliver_fn deliver)
{
	char num[16], **argv = xcalloc((size_t)nargs + 10, sizeof(*argv));
	char *pids = xasprintf("%s/pids/%s", dir, j->key);
	char *status = xasprintf("%s/status/%s", dir, j->key);
	int argc = 0, i, rc;

	signal(SIGCHLD, SIG_DFL);
	(void)put(pids, "%ld\n", (long)getpid());
	snprintf(num, sizeof(num), "%d", j->attempt);
	argv[argc++] = (char *)"refsut";
	for (i = 0; i < nargs; i++)
		argv[argc++] = args[i];
	argv[argc++] = (char *)"--attempt";
	argv[argc++] = num;
	argv[argc++] = (char *)"-f";
	argv[argc++] = (char *)j->sender;
	argv[argc++] = (char *)"-m";
	argv[argc++] = (char *)j->message;
	argv[argc++] = (char *)"--";
	argv[argc++] = (char *)j->rcpt;
	argv[argc] = NULL;
	optind = 0; /* getopt_long starts afresh */
	rc = deliver(argc, argv);
	fflush(NULL);
	(void)put(status, "%s %d %d\n", rs_status_word(rc), rc, j->attempt);
	(void)put(pids, "%s", "");
	_exit(0);
}

void
rs_serve_loop(
    const char *dir, FILE *f, int nargs, char **args, rs_deliver_fn deliver)
{
	char *line = NULL, *path, err[160];
	size_t cap = 0;
	ssize_t len;
	struct rs_job j;
	pid_t pid;

	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len > RS_JOB_MAX) {
			log_warnx("serve: a job line of %zd bytes refused (at "
			          "most %d)",
			    len, RS_JOB_MAX);
			continue;
		}
		if (rs_job_parse(line, &j, err, sizeof(err)) < 0) {
			log_warnx("serve: job refused: %s", err);
			continue;
		}
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			close(fileno(f));
			run_job(dir, &j, nargs, args, deliver);
		}
		if (pid < 0) {
			log_warn("serve: %s: no process for attempt %d", j.key,
			    j.attempt);
			path = xasprintf("%s/status/%s", dir, j.key);
			(void)put(
			    path, "unknown %d %d\n", RS_RC_NO_CHILD, j.attempt);
			free(path);
			path = xasprintf("%s/pids/%s", dir, j.key);
			(void)put(path, "%s", "");
			free(path);
		}
	}
	free(line);
}
