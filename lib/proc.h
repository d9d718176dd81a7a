/*
 * proc.h - child processes of a run: spawn (optionally inside a network
 * namespace, entered as "ip netns exec" would: nsenter_switch), each in its own
 * process group, poll, stop (SIGTERM to the group, then SIGKILL), and
 * run-to-completion with a time limit and captured output.
 *
 * Interruption: proc_interrupts is a counter the run's signal handler
 * increments (SIGINT, SIGTERM). proc_run() cuts a child short when the
 * counter grows while it waits, so no step can hold an interrupted run.
 *
 * Ownership: a struct proc is owned by the caller of proc_spawn and
 * released with proc_free (which does not stop the child).
 */
#ifndef DSIM_PROC_H
#define DSIM_PROC_H

#include <signal.h>
#include <sys/types.h>

#include "buf.h"

/* Incremented by the run's signal handler; read by the waits here. */
extern volatile sig_atomic_t proc_interrupts;

struct proc {
	char *name;  /* for logs */
	pid_t pid;   /* also the process group id */
	int running; /* 0 once reaped */
	int status;  /* wait status, valid when running == 0 */
};

/*
 * proc_spawn - start argv (argv[0] searched in PATH) in a new process
 * group. netns: run it inside that named namespace as "ip netns exec"
 * would (nsenter_switch: also mounts the /etc/netns/NAME files); NULL = here.
 * env: the full environment, NULL = ours. stdin is /dev/null; stdout and stderr
 * are appended to log_path (NULL = /dev/null). Returns a new struct proc, or
 * NULL on failure (logged).
 */
struct proc *proc_spawn(const char *name, const char *netns, char *const argv[],
    char *const env[], const char *log_path);

/*
 * proc_spawn_io - proc_spawn with stdin on in_fd (-1: /dev/null), stdout
 * on out_fd and stderr on err_fd (-1: out_fd); descriptors above 2, kept
 * and closed by the caller (a pipe's other end should be close-on-exec).
 */
struct proc *proc_spawn_io(const char *name, const char *netns,
    char *const argv[], char *const env[], int in_fd, int out_fd, int err_fd);

/*
 * proc_poll - reap the child if it exited. Returns 1 while it runs, 0
 * once it has exited (status set).
 */
int proc_poll(struct proc *p);

/*
 * proc_stop - SIGTERM to the whole process group, wait up to grace_ms for
 * the leader, then SIGKILL the group and reap. Safe on an exited child
 * (still kills stragglers of its group). Returns 0.
 */
int proc_stop(struct proc *p, int grace_ms);

/* proc_free - release p (the child is not touched); NULL is fine. */
void proc_free(struct proc *p);

/*
 * proc_run - run argv to completion as proc_spawn does, with stdout and
 * stderr collected into out (NULL: discarded; at most 1 MiB kept). The
 * child's group is killed when timeout_ms passes or proc_interrupts
 * grows. Returns the exit status (0..255), 128+N when killed by signal N,
 * or -1 when it could not be started, timed out or was interrupted
 * (logged).
 */
int proc_run(const char *name, const char *netns, char *const argv[],
    char *const env[], int timeout_ms, struct buf *out);

/*
 * proc_stat - state letter (R, S, Z, ...) and process group of pid from
 * /proc/PID/stat (pgrp may be NULL). 0, or -1 if pid is gone (not
 * logged).
 */
int proc_stat(pid_t pid, char *state, pid_t *pgrp);

/* proc_group_alive - 1 if a live (not zombie) member of pgid exists. */
int proc_group_alive(pid_t pgid);

/* proc_now_ms - monotonic clock in milliseconds. */
long long proc_now_ms(void);

/* proc_sleep_ms - sleep ms, returning early when proc_interrupts grows. */
void proc_sleep_ms(int ms);

#endif /* DSIM_PROC_H */
