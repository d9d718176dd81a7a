/*
 * proc.c - child processes of a run: spawn in own process groups, inside
 * a network namespace when asked, poll, stop, run with a time limit (see
 * proc.h).
 *
 * Every child leads its own process group so that one kill(-pgid) reaches
 * whatever it forked, and so a terminal's Ctrl-C reaches only danesim,
 * which then tears the run down in order.
 */
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "nsenter.h"
#include "xmalloc.h"

#define PROC_OUT_MAX (1024 * 1024)

volatile sig_atomic_t proc_interrupts;

long long
proc_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
proc_sleep_ms(int ms)
{
	sig_atomic_t seen = proc_interrupts;
	long long end = proc_now_ms() + ms;
	long long left;
	struct timespec ts;

	while ((left = end - proc_now_ms()) > 0 && proc_interrupts == seen) {
		if (left > 50)
			left = 50;
		ts.tv_sec = 0;
		ts.tv_nsec = left * 1000000;
		nanosleep(&ts, NULL);
	}
}

/*
 * child_exec - in the forked child: groups, signals, fds, the namespace
 * (nsenter_switch, as "ip netns exec" would), then exec. argv[0] is looked
 * up in env's PATH when env has one, as "ip netns exec" did.
 */
static void __attribute__((noreturn)) child_exec(const char *netns,
    char *const argv[], char *const env[], int in_fd, int out_fd, int err_fd)
{
	sigset_t none;
	size_t i;
	int fd;

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	if (in_fd > 2)
		dup2(in_fd, 0);
	else {
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
	}
	if (out_fd >= 0) {
		dup2(out_fd, 1);
		dup2(err_fd > 2 ? err_fd : out_fd, 2);
	}
	closefrom(3);

	if (netns != NULL && nsenter_switch(netns) < 0) {
		fprintf(stderr, "danesim: cannot enter namespace %s\n", netns);
		_exit(127);
	}
	if (env != NULL) {
		for (i = 0; env[i] != NULL; i++)
			if (strncmp(env[i], "PATH=", 5) == 0)
				setenv("PATH", env[i] + 5, 1);
		execvpe(argv[0], argv, env);
	} else
		execvp(argv[0], argv);
	fprintf(
	    stderr, "danesim: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* fork_child - fork and exec in the child; the pid or -1 (logged). */
static pid_t
fork_child(const char *name, const char *netns, char *const argv[],
    char *const env[], int in_fd, int out_fd, int err_fd)
{
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		log_err("%s: fork", name);
		return -1;
	}
	if (pid == 0)
		child_exec(netns, argv, env, in_fd, out_fd, err_fd);
	/* Both sides set the group, so neither races the other. */
	setpgid(pid, pid);
	return pid;
}

struct proc *
proc_spawn(const char *name, const char *netns, char *const argv[],
    char *const env[], const char *log_path)
{
	struct proc *p;
	int fd;

	fd = open(log_path != NULL ? log_path : "/dev/null",
	    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_err("%s: %s", name, log_path);
		return NULL;
	}
	p = proc_spawn_io(name, netns, argv, env, -1, fd, -1);
	close(fd);
	return p;
}

struct proc *
proc_spawn_io(const char *name, const char *netns, char *const argv[],
    char *const env[], int in_fd, int out_fd, int err_fd)
{
	struct proc *p;
	pid_t pid;

	pid = fork_child(name, netns, argv, env, in_fd, out_fd, err_fd);
	if (pid < 0)
		return NULL;
	p = xcalloc(1, sizeof(*p));
	p->name = xstrdup(name);
	p->pid = pid;
	p->running = 1;
	log_debug("started %s, pid %ld", name, (long)pid);
	return p;
}

int
proc_poll(struct proc *p)
{
	pid_t r;
	int st;

	if (!p->running)
		return 0;
	do
		r = waitpid(p->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return 1;
	p->running = 0;
	p->status = r == p->pid ? st : 0;
	return 0;
}

int
proc_stat(pid_t pid, char *state, pid_t *pgrp)
{
	char path[64], line[1024], *rp;
	long pg;
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	ok = fgets(line, sizeof(line), f) != NULL;
	fclose(f);
	/* "pid (comm) S ppid pgrp ...": comm may hold anything, so parse
	 * from the last ')'. */
	rp = ok ? strrchr(line, ')') : NULL;
	if (rp == NULL || sscanf(rp + 1, " %c %*d %ld", state, &pg) != 2)
		return -1;
	if (pgrp != NULL)
		*pgrp = (pid_t)pg;
	return 0;
}

/*
 * Zombies are left out: orphans wait for init to reap them, which can
 * take seconds, yet they hold nothing.
 */
int
proc_group_alive(pid_t pgid)
{
	struct dirent *de;
	pid_t pg;
	char st;
	DIR *d;
	long pid;
	char *end;
	int alive = 0;

	if (kill(-pgid, 0) < 0 && errno == ESRCH)
		return 0;
	d = opendir("/proc");
	if (d == NULL)
		return 1;
	while (!alive && (de = readdir(d)) != NULL) {
		pid = strtol(de->d_name, &end, 10);
		if (*end != '\0' || pid <= 0)
			continue;
		if (proc_stat((pid_t)pid, &st, &pg) == 0 && pg == pgid &&
		    st != 'Z' && st != 'X')
			alive = 1;
	}
	closedir(d);
	return alive;
}

int
proc_stop(struct proc *p, int grace_ms)
{
	long long end;

	if (p == NULL || p->pid <= 0)
		return 0;
	if (proc_poll(p) || proc_group_alive(p->pid)) {
		kill(-p->pid, SIGTERM);
		if (p->running)
			kill(p->pid, SIGTERM);
		end = proc_now_ms() + grace_ms;
		while (proc_now_ms() < end) {
			if (!proc_poll(p) && !proc_group_alive(p->pid))
				break;
			usleep(20000);
		}
		kill(-p->pid, SIGKILL);
		if (p->running) {
			kill(p->pid, SIGKILL);
			while (waitpid(p->pid, &p->status, 0) < 0 &&
			       errno == EINTR)
				;
			p->running = 0;
		}
		/* Killed members linger until their parent or init reaps
		 * them; give that a moment so callers see a clean slate. */
		end = proc_now_ms() + 1000;
		while (proc_group_alive(p->pid) && proc_now_ms() < end)
			usleep(10000);
	}
	return 0;
}

void
proc_free(struct proc *p)
{
	if (p == NULL)
		return;
	free(p->name);
	free(p);
}

int
proc_run(const char *name, const char *netns, char *const argv[],
    char *const env[], int timeout_ms, struct buf *out)
{
	sig_atomic_t seen = proc_interrupts;
	struct pollfd pfd;
	long long end;
	char chunk[4096];
	ssize_t r;
	int fds[2];
	int st = 0, rc = -1, open_out = 1, reaped = 0;
	long long reaped_ms = 0;
	pid_t pid, w;

	if (pipe2(fds, O_CLOEXEC) < 0) {
		log_err("%s: pipe", name);
		return -1;
	}
	pid = fork_child(name, netns, argv, env, -1, fds[1], -1);
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		return -1;
	}
	end = proc_now_ms() + timeout_ms;
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	for (;;) {
		if (!reaped) {
			w = waitpid(pid, &st, WNOHANG);
			if (w == pid) {
				reaped = 1;
				reaped_ms = proc_now_ms();
			}
		}
		/* A daemon the step left behind may keep writing to our
		 * pipe; what it writes later is not the step's output. */
		if (reaped && proc_now_ms() - reaped_ms > 200)
			open_out = 0;
		/* Done once the child is reaped and its output drained; a
		 * grandchild keeping the pipe open does not hold us. */
		if (reaped && !open_out)
			break;
		if (proc_interrupts != seen) {
			log_warnx("%s: interrupted", name);
			goto out;
		}
		if (proc_now_ms() >= end) {
			log_warnx("%s: no result after %d ms, killed", name,
			    timeout_ms);
			goto out;
		}
		if (!open_out) {
			usleep(10000);
			continue;
		}
		if (poll(&pfd, 1, reaped ? 0 : 20) > 0) {
			r = read(fds[0], chunk, sizeof(chunk));
			if (r <= 0)
				open_out = 0;
			else if (out != NULL && out->len < PROC_OUT_MAX)
				buf_append(out, chunk, (size_t)r);
		} else if (reaped)
			open_out = 0;
	}
	if (WIFEXITED(st))
		rc = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		rc = 128 + WTERMSIG(st);
out:
	close(fds[0]);
	/* The group may hold leftovers (a step that backgrounded work must
	 * use setsid or its own group to survive); kill them only when the
	 * step failed to finish. */
	if (!reaped) {
		kill(-pid, SIGKILL);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	return rc;
}
