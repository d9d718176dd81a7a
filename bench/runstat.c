/*
 * runstat.c - run a command and report its wall time and the peak
 * resident set size of every process of its tree, for bench/suite.
 *
 *   runstat OUTFILE COMMAND [ARG...]
 *
 * The command's exit status is runstat's. OUTFILE gets one line
 * "wall SECONDS", one line "tree_maxrss KB" (wait4's ru_maxrss: the
 * largest process of the whole tree, exact) and one line per process
 * name "rss NAME PEAK_KB PROCESSES", the peak being the highest VmHWM
 * ("high water mark" of the resident set, /proc/PID/status) of any process
 * of that name. The tree is sampled every RUNSTAT_MS by walking
 * /proc/PID/task/TID/children from runstat itself, which is a child
 * subreaper (PR_SET_CHILD_SUBREAPER), so daemons that detach from their
 * parent (Postfix's master) stay in the tree. VmHWM never decreases, so a
 * sample misses only what a process grew in its last RUNSTAT_MS.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNSTAT_MS 25
#define RUNSTAT_NAMES 256
#define RUNSTAT_PIDS 65536

/* Peak of one process name. */
struct name_peak {
	char name[32];
	long peak_kb;
	long nproc;
};

static struct name_peak names[RUNSTAT_NAMES];
static size_t nnames;
/* Per pid, 1 + the index of the name it was counted under (an exec
 * changes the name: then it counts under the new name too). */
static unsigned short seen[RUNSTAT_PIDS];

/* now_s - monotonic seconds. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* note - record a sample of process pid: its name and VmHWM. */
static void
note(long pid)
{
	char path[64], line[256], name[32] = "";
	long hwm = -1;
	size_t i;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "Name:", 5) == 0)
			sscanf(line + 5, " %31s", name);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			sscanf(line + 6, " %ld", &hwm);
	}
	fclose(f);
	if (name[0] == '\0' || hwm < 0)
		return; /* a zombie, or gone */
	for (i = 0; i < nnames; i++)
		if (strcmp(names[i].name, name) == 0)
			break;
	if (i == nnames) {
		if (nnames == RUNSTAT_NAMES)
			return;
		snprintf(names[i].name, sizeof(names[i].name), "%s", name);
		nnames++;
	}
	if (hwm > names[i].peak_kb)
		names[i].peak_kb = hwm;
	if (pid > 0 && pid < RUNSTAT_PIDS && seen[pid] != i + 1) {
		seen[pid] = (unsigned short)(i + 1);
		names[i].nproc++;
	}
}

/* walk - sample pid's children (all threads), then theirs. */
static void
walk(long pid, int depth)
{
	char path[96];
	struct dirent *de;
	DIR *d;
	FILE *f;
	long child;

	if (depth > 64)
		return;
	snprintf(path, sizeof(path), "/proc/%ld/task", pid);
	if ((d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/task/%.20s/children",
		    pid, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fscanf(f, "%ld", &child) == 1) {
			note(child);
			walk(child, depth + 1);
		}
		fclose(f);
	}
	closedir(d);
}

int
main(int argc, char **argv)
{
	struct timespec tick = {0, RUNSTAT_MS * 1000000L};
	struct rusage ru;
	double t0, t1;
	int status = 0, st, done = 0;
	pid_t pid, r;
	size_t i;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat OUTFILE COMMAND [ARG...]\n");
		return 2;
	}
	if ((out = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 2;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	t0 = now_s();
	if ((pid = fork()) < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror(argv[2]);
		_exit(127);
	}
	/* The command gets the terminal's signals; we outlive it. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	while (!done) {
		note(pid);
		walk(getpid(), 0);
		nanosleep(&tick, NULL);
		/* Reap the command, and any orphan handed to us. */
		while ((r = waitpid(-1, &st, WNOHANG)) > 0 ||
		       (r < 0 && errno == EINTR))
			if (r == pid) {
				status = st;
				done = 1;
			}
		if (r < 0 && errno == ECHILD)
			done = 1;
	}
	t1 = now_s();
	/* Orphans still running (a SUT left behind) are not waited for. */
	memset(&ru, 0, sizeof(ru));
	getrusage(RUSAGE_CHILDREN, &ru);
	fprintf(out, "wall %.2f\n", t1 - t0);
	fprintf(out, "tree_maxrss %ld\n", ru.ru_maxrss);
	for (i = 0; i < nnames; i++)
		fprintf(out, "rss %s %ld %ld\n", names[i].name,
		    names[i].peak_kb, names[i].nproc);
	fclose(out);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
