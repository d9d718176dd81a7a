/*
 * rs_serve.h - refsut as a delivery server (refsut --serve DIR): one
 * process made ready once (OpenSSL initialised), which forks a child per
 * delivery asked for on the FIFO DIR/jobs, so that a delivery costs a
 * fork and not a new program (its loading, OpenSSL's set-up). The child
 * runs the delivery as the command line would and keeps the SUT
 * profile's files: DIR/pids/KEY (its pid while it runs, emptied at its
 * end) and DIR/status/KEY ("STATUS EXIT ATTEMPT").
 */
#ifndef RS_SERVE_H
#define RS_SERVE_H

#include <stddef.h>
#include <stdio.h>

/* The longest job line read (longer ones are refused whole). */
#define RS_JOB_MAX 4096

/*
 * One delivery asked for: a line "KEY<TAB>ATTEMPT<TAB>SENDER<TAB>
 * MESSAGE<TAB>RCPT". The strings point into the line parsed.
 */
struct rs_job {
	const char *key;     /* a file name: no '/', not starting with '.' */
	int attempt;         /* 1..1000 */
	const char *sender;  /* may be empty (the null sender) */
	const char *message; /* the message file */
	const char *rcpt;
};

/* A delivery: refsut's command line (argv[argc] is NULL); returns its
 * exit status. */
typedef int (*rs_deliver_fn)(int argc, char **argv);

/*
 * rs_job_parse - split line (its newline, if any, removed) into *j in
 * place. 0, or -1 with the reason in err.
 */
int rs_job_parse(char *line, struct rs_job *j, char *err, size_t errlen);

/*
 * rs_status_word - the status a delivery's exit status stands for:
 * "delivered" (0), "deferred" (75), "bounced" (69), else "unknown".
 */
const char *rs_status_word(int rc);

/*
 * rs_serve_open - make DIR/status, DIR/pids and the FIFO DIR/jobs (a
 * file of another kind there is replaced) and open the FIFO for reading
 * and writing (it never reads end-of-file while the server lives).
 * Returns the descriptor, or -1 (logged).
 */
int rs_serve_open(const char *dir);

/*
 * rs_serve_detach - go to the background: fork; the parent writes the
 * child's pid to DIR/serve.pid and gets 1 (-1, logged, when it cannot:
 * the child is then ended); the child leaves the session, sends its
 * output to DIR/refsut.out, has its children reaped by the kernel
 * (SIGCHLD ignored) and gets 0.
 */
int rs_serve_detach(const char *dir);

/*
 * rs_serve_loop - read job lines from f until its end and start each
 * delivery in a child process: the child writes its pid to
 * DIR/pids/KEY, calls deliver with "refsut ARGS... --attempt N -f SENDER
 * -m MESSAGE -- RCPT", writes "STATUS EXIT N" to DIR/status/KEY, empties
 * its pid file and exits. A line that does not parse, and a child that
 * cannot be made (its status "unknown 71 N"), are logged and skipped.
 * The caller reaps the children (SIGCHLD ignored, or waitpid).
 */
void rs_serve_loop(
    const char *dir, FILE *f, int nargs, char **args, rs_deliver_fn deliver);

#endif
