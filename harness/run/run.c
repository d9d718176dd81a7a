/*
 * run.c - "danesim run": one run of a scenario suite against one SUT in a
 * sealed network namespace (docs/danesim.1, docs/internals.md).
 *
 * The order of a run: load and lint the suite; make the run folder and
 * the world; create the namespace; start fakedns, fakemx, the capture and
 * Unbound inside it and prove the resolver validates; prepare, start and
 * check the SUT through its profile; hand it one message per scenario;
 * observe until every scenario is decided or its window ends; then tear
 * everything down in reverse order, write run.json, remove the namespace
 * and judge the run (analyse_run_dir). Teardown happens on every path:
 * normal end, setup failure, SIGINT/SIGTERM (a second one skips the
 * graceful steps) and our own infrastructure failing.
 *
 * Setup errors (exit 2) judge nothing. Our infrastructure failing (a
 * fake server, Unbound or the capture dying, the run folder's file
 * system filling up) is judged: the scenarios it kept from being decided
 * are error, the others keep their verdicts, and a failure already seen
 * is never hidden. A fake server refusing one scenario's part of the
 * world costs only that scenario. What the SUT does, dying included, is
 * an observation, never an error.
 *
 * RFC 7672 itself is judged elsewhere (score.c); this file only makes
 * sure the SUT meets a DNSSEC-validating resolver (RFC 7672 section 2.1)
 * and real MX hosts over SMTP (RFC 5321), and nothing else.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness/run/analyse.h"
#include "buf.h"
#include "harness/run/capture.h"
#include "harness/report/suite.h"
#include "harness/report/conform.h"
#include "harness/report/expect.h"
#include "harness/judge/facts.h"
#include "log.h"
#include "harness/run/netns.h"
#include "harness/run/phase.h"
#include "proc.h"
#include "harness/report/provenance.h"
#include "harness/report/reports.h"
#include "harness/run/resolver.h"
#include "harness/run/run.h"
#include "scn.h"
#include "scn_lint.h"
#include "harness/judge/score.h"
#include "share.h"
#include "scn_lint.h"
#include "harness/run/sut.h"
#include "harness/report/verify.h"
#include "harness/world/world.h"
#include "xmalloc.h"

#define RUN_SENDER "danesim@sender.test"
#define RUN_POLL_MS 250    /* facts and liveness */
#define RUN_STATUS_MS 500  /* SUT status step per undecided scenario */
#define RUN_FLUSH_MS 5000  /* SUT flush step while anything is open */
#define RUN_READY_MS 15000 /* fake servers listening */
#define RUN_PROBE_MS 20000 /* resolver validating */
#define RUN_STEP_MS 60000  /* prepare, start, stop */
#define RUN_SHORT_MS 15000 /* inject, flush, check, version */
#define RUN_STATUS_TIMEOUT_MS 10000
/*
 * The run folder's file system must keep room for the reports: a run
 * needs RUN_DISK_START bytes free to begin, and one that falls below
 * RUN_DISK_RESERVE stops observing (the evidence could no longer be
 * written) and judges what it has in the space left.
 */
#define RUN_DISK_START (8LL << 20)
#define RUN_DISK_RESERVE (4LL << 20)
/* Test hook (docs/danesim.1): run inside the namespace before fakedns. */
#define RUN_TEST_HOOK "DANESIM_TEST_NETNS_HOOK"
/* The check step's "the setup was unsound" (docs/sut-profiles.md). */
#define RUN_CHECK_UNSOUND 2
#define RUN_RETRY_QUIET_MS 3000 /* no sign of a retry: it made no contact */
#define RUN_RETRY_MIN_MS 1200   /* an attempt's age before its retry */

/* One delivery attempt of a scenario's message (docs/internals.md). */
struct run_attempt {
	double started;      /* wall clock: injection, or the retry's trigger */
	double ended;        /* when danesim saw it end; 0 while it runs */
	enum scn_sut status; /* the SUT's word at its end */
};

/*
 * One message of a scenario: message 1 is injected when the scenario
 * starts, message k > 1 when its attempt k opens ("messages N").
 */
struct run_msg {
	char *message_id;
	char *file;
	int injected;
	double injected_at;  /* wall clock, when its inject step ended */
	int attempt;         /* the attempt it was injected in */
	int last;            /* the attempt it ended in (delivered, bounced
	                        or the scenario's last); 0 while open */
	enum scn_sut status; /* the SUT's last word on it */
	int sut_attempts;    /* attempts the status step counted; 0 unknown */
	int tries_asked;     /* sut_attempts when its attempt in progress was
	                        opened (sut_flush's tries) */
	char *sut_text;      /* what the status step said after its word
	                        (why it is frozen), or NULL */
};

/* One scenario in flight. */
struct run_scn {
	const struct scn *s; /* borrowed from the suite */
	char *recipient;
	struct run_msg m[SCN_MESSAGES_MAX];
	int nmsgs;   /* the messages it sends (scn_messages) */
	int nsent;   /* the messages injected so far */
	long window; /* seconds */
	int injected;
	long long deadline_ms; /* monotonic; valid once injected */
	long long status_ms;   /* last status step */
	int decided;
	int error;        /* our infrastructure failed before it was judged */
	int excluded;     /* left out of the world: a fake server refused it */
	char *reason;     /* why not decided, or NULL */
	int attempt;      /* the attempt in progress, 1-based */
	int sut_base;     /* sut_count() when the last retry was triggered */
	int sut_carry;    /* tries of the attempt before it the status step
	                     had not counted then (phase_carry) */
	double status_at; /* wall time the last status step round ended */
	long long retry_ms; /* monotonic time of the last retry trigger */
	int retry_pending;  /* a retry was opened; the flush step that
	                       triggers it has not succeeded yet */
	int shown;          /* the attempt in progress has shown itself
	                       (attempt_seen, at the last decide_pass) */
	struct run_attempt att[RUN_MAX_ATTEMPTS];
};

struct run {
	struct run_opts o;
	char stamp[32]; /* 20261129T000000Z */
	char *run_dir;
	char *bin_dir;
	char netns[64];
	int netns_made;
	struct scn_suite suite;
	struct world *w;
	struct proc *fakedns;
	struct proc *fakemx;
	struct proc *unbound;
	struct capture *cap;
	struct capture_stats cap_stats;
	int cap_ok;
	char cap_note[600];
	struct sut_profile *prof;
	struct sut *sut;
	int sut_started; /* prepare ran: the stop step is due */
	int sut_ready;   /* started and checked */
	int torn;        /* teardown done */
	char *sut_version;
	struct run_scn *rs;
	size_t n;
	size_t *order; /* rs indices in the order of injection (inject_rank) */
	double started;
	double finished;
	int infra_failed;
	char infra_reason[512];
	int setup_failed;
	int msgs_ok;        /* prepare_messages succeeded */
	char sut_note[768]; /* an observation about the SUT itself, or "" */
	char attempts_note[200]; /* why fewer attempts than asked, or "" */
	json_t *provenance;      /* run.json's "provenance" */
	double t_phase;          /* wall clock at the end of the last phase */
	double t_inject;         /* of the observation: inject steps, */
	double t_status;         /* status steps, */
	double t_flush;          /* flush steps, */
	double t_facts;          /* reading the fake servers' logs */
	unsigned n_status;       /* rounds of status steps */
	unsigned n_facts;        /* readings of the logs */
	struct facts_tail *tail; /* the logs as far as read (decide_pass) */
};

/*
 * inject_rank - how long a scenario's own timeline is likely to be, from
 * what it declares: a DNS answer dropped or delayed (the SUT's lookups
 * time out) longest, then phases or several messages (attempts that wait
 * for a TTL or a world switch), then an expected deferral (a retry), then
 * the rest. Only the order of injection follows it.
 */
static int
inject_rank(const struct scn *s)
{
	size_t i;

	for (i = 0; i < s->nbreaks; i++)
		if (s->breaks[i].what == SCN_BRK_DROP ||
		    s->breaks[i].what == SCN_BRK_DELAY)
			return 3;
	if (s->attempts > 1 || s->messages > 1)
		return 2;
	for (i = 0; i < s->nexpects; i++)
		if (s->expects[i].kind == SCN_EXP_OUTCOME &&
		    (s->expects[i].outcomes & 1u << SCN_OUT_DEFERRED) != 0)
			return 1;
	return 0;
}

/*
 * inject_order - the suite's indices, the longest timelines first
 * (inject_rank), suite order within a rank: their waits then run while
 * the others are still being handed over, where injected last they ended
 * the run seconds after everything else. Verdicts do not depend on it.
 */
static size_t *
inject_order(const struct scn_suite *suite)
{
	size_t *order = xcalloc(suite->n > 0 ? suite->n : 1, sizeof(*order));
	size_t i, k = 0;
	int rank;

	for (rank = 3; rank >= 0; rank--)
		for (i = 0; i < suite->n; i++)
			if (inject_rank(suite->items[i]) == rank)
				order[k++] = i;
	return order;
}

/* on_signal - count interrupts; every wait of the run watches this. */
static void
on_signal(int sig)
{
	(void)sig;
	proc_interrupts++;
}

/* wall_now - seconds since the epoch, with fractions. */
static double
wall_now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (double)tv.tv_sec + tv.tv_usec / 1e6;
}

/*
 * phase_time - log (-v) the wall time the phase that just ended took:
 * where a run's time goes (bench/suite prints these lines).
 */
static void
phase_time(struct run *r, const char *phase)
{
	double t = wall_now();

	if (r->t_phase > 0)
		log_info("time: %s %.2f s", phase, t - r->t_phase);
	r->t_phase = t;
}

/* load_suite - load, filter and lint; 0, or -1 after printing errors. */
static int
load_suite(struct run *r)
{
	struct scn_errors errs = {NULL, 0};
	char *def[1];
	size_t i, j, kept = 0;
	int bad = 0;

	/* The default suite: the share folder's (share.h). */
	def[0] = share_path("scenarios");
	if (scn_suite_load(&r->suite, r->o.npaths ? r->o.paths : def,
	        r->o.npaths ? r->o.npaths : 1, &errs) < 0)
		bad = 1;
	for (i = 0; !bad && i < r->suite.n; i++)
		if (scn_lint(r->suite.items[i], &errs) > 0)
			bad = 1;
	/* Severities come from the catalogue: no run without it. */
	if (!bad && scn_suite_judge_catalogue(&r->suite, NULL, &errs) < 0)
		bad = 1;
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	scn_errors_free(&errs);
	free(def[0]);
	if (bad)
		return -1;
	if (r->o.nonly > 0) {
		for (i = 0; i < r->suite.n; i++) {
			for (j = 0; j < r->o.nonly; j++)
				if (fnmatch(r->o.only[j], r->suite.items[i]->id,
				        0) == 0)
					break;
			if (j < r->o.nonly)
				r->suite.items[kept++] = r->suite.items[i];
			else
				scn_free(r->suite.items[i]);
		}
		r->suite.n = kept;
	}
	if (r->o.shard_n > 0)
		suite_shard_filter(&r->suite, r->o.shard_i, r->o.shard_n);
	if (r->suite.n == 0) {
		fprintf(stderr, "danesim run: no scenario to run\n");
		return -1;
	}
	return 0;
}

/* copy_file - copy src to dst; 0 or -1 (logged). */
static int
copy_file(const char *src, const char *dst)
{
	char chunk[8192];
	FILE *in, *out;
	size_t n;
	int rc = 0;

	in = fopen(src, "r");
	if (in == NULL) {
		log_err("%s", src);
		return -1;
	}
	out = fopen(dst, "w");
	if (out == NULL) {
		log_err("%s", dst);
		fclose(in);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (fwrite(chunk, 1, n, out) != n) {
			rc = -1;
			break;
		}
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	if (rc < 0)
		log_err("copy %s to %s", src, dst);
	return rc;
}

/* disk_free - bytes free for us on the file system of dir; -1 unknown. */
static long long
disk_free(const char *dir)
{
	struct statvfs sv;

	if (statvfs(dir, &sv) < 0)
		return -1;
	return (long long)sv.f_bavail * (long long)sv.f_frsize;
}

/* make_run_dir - OUT/<stamp>-<sut>/ with scenarios/, latest link. */
static int
make_run_dir(struct run *r, time_t now)
{
	struct tm tm;
	char *base, *link, *dst, *outabs;
	long long free_b;
	struct stat st;
	size_t i;
	int k;

	gmtime_r(&now, &tm);
	strftime(r->stamp, sizeof(r->stamp), "%Y%m%dT%H%M%SZ", &tm);
	if (world_mkdir_p(r->o.out) < 0) {
		log_err("mkdir %s", r->o.out);
		return -1;
	}
	/*
	 * Every path handed to a child is absolute: the servers and the SUT
	 * run in other folders (Unbound chdirs to its own), so "results/..."
	 * would name nothing there.
	 */
	if ((outabs = realpath(r->o.out, NULL)) == NULL) {
		log_err("%s", r->o.out);
		return -1;
	}
	free_b = disk_free(outabs);
	if (free_b >= 0 && free_b < RUN_DISK_START) {
		fprintf(stderr,
		    "danesim run: %s: only %lld KiB free on its file system; a "
		    "run needs %lld KiB (the world, the capture, the logs and "
		    "%lld KiB kept for the reports)\n",
		    outabs, free_b >> 10, RUN_DISK_START >> 10,
		    RUN_DISK_RESERVE >> 10);
		free(outabs);
		return -1;
	}
	base = xasprintf("%s-%s", r->stamp, r->prof->name);
	r->run_dir = xasprintf("%s/%s", outabs, base);
	/* Two runs in the same second get distinct folders. */
	for (k = 2; mkdir(r->run_dir, 0755) < 0; k++) {
		if (errno != EEXIST || k > 99) {
			log_err("mkdir %s", r->run_dir);
			free(base);
			free(outabs);
			return -1;
		}
		free(r->run_dir);
		free(base);
		base = xasprintf("%s-%s-%d", r->stamp, r->prof->name, k);
		r->run_dir = xasprintf("%s/%s", outabs, base);
	}
	/* Message-IDs stay unique too. */
	if (k > 2)
		snprintf(r->stamp + strlen(r->stamp),
		    sizeof(r->stamp) - strlen(r->stamp), "-%d", k - 1);
	link = xasprintf("%s/latest", outabs);
	free(outabs);
	if (lstat(link, &st) == 0 && S_ISLNK(st.st_mode))
		unlink(link);
	if (symlink(base, link) < 0)
		log_warn("symlink %s", link);
	free(link);
	free(base);
	dst = xasprintf("%s/scenarios", r->run_dir);
	k = mkdir(dst, 0755);
	free(dst);
	if (k < 0) {
		log_err("mkdir %s/scenarios", r->run_dir);
		return -1;
	}
	for (i = 0; i < r->suite.n; i++) {
		dst = xasprintf(
		    "%s/scenarios/%s.scn", r->run_dir, r->suite.items[i]->id);
		k = copy_file(r->suite.items[i]->file, dst);
		free(dst);
		if (k < 0)
			return -1;
	}
	return 0;
}

/*
 * keep_inputs - copy into the run folder what judging it again needs
 * besides the scenarios: the requirement catalogue (the scope line) and
 * the --profile file. 0, or -1 (logged).
 */
static int
keep_inputs(struct run *r)
{
	char *cat = scn_catalogue_default(), *dst;
	int rc = 0;

	if (cat != NULL) {
		dst = xasprintf("%s/%s", r->run_dir, REPORTS_CATALOGUE);
		rc = copy_file(cat, dst);
		free(dst);
		free(cat);
	}
	if (rc == 0 && r->o.profile != NULL) {
		dst = xasprintf("%s/%s", r->run_dir, REPORTS_PROFILE);
		rc = copy_file(r->o.profile, dst);
		free(dst);
	}
	return rc;
}

/*
 * sut_config - run the profile's config step (if any): its output goes
 * to RUN/sut-config.txt and, up to 64 KiB of valid UTF-8, into the
 * provenance's "sut_config".
 */
static void
sut_config(struct run *r)
{
	struct buf out;
	char *path;
	json_t *j;
	FILE *f;
	int rc;

	if (!sut_has(r->sut, SUT_STEP_CONFIG))
		return;
	buf_init(&out);
	rc = sut_run_step(r->sut, SUT_STEP_CONFIG, NULL, RUN_SHORT_MS, &out);
	path = xasprintf("%s/sut-config.txt", r->run_dir);
	if ((f = fopen(path, "w")) != NULL) {
		if (rc != 0)
			fprintf(f, "# the config step failed (exit %d)\n", rc);
		if (out.len)
			fwrite(out.data, 1, out.len, f);
		fclose(f);
	}
	free(path);
	if (rc == 0 && out.len > 0) {
		if (out.len > 65536)
			out.len = 65536;
		j = json_stringn(out.data, out.len);
		json_object_set_new(
		    r->provenance, "sut_config", j ? j : json_null());
	}
	buf_free(&out);
}

/* in_path - 1 if prog is an executable in $PATH (or /usr/sbin, /sbin). */
static int
in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *cand;
	int found = 0;

	copy =
	    xasprintf("%s:/usr/sbin:/sbin", path != NULL ? path : "/usr/bin");
	for (dir = strtok_r(copy, ":", &save); dir != NULL && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		cand = xasprintf("%s/%s", dir, prog);
		found = access(cand, X_OK) == 0;
		free(cand);
	}
	free(copy);
	return found;
}

/* check_tools - what a run needs besides our own binaries; -1 (printed). */
static int
check_tools(void)
{
	static const char *const tools[][2] = {
	    {"ip", "iproute2"},
	    {"unbound", "unbound"},
	};
	size_t i;

	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (!in_path(tools[i][0])) {
			fprintf(stderr,
			    "danesim run: '%s' not found; install it "
			    "(apt-get install %s, or scripts/install-deps)\n",
			    tools[i][0], tools[i][1]);
			return -1;
		}
	return 0;
}

/* check_helpers - fakedns and fakemx in dir; 0, or -1 after a message. */
static int
check_helpers(const char *dir)
{
	static const char *const helpers[] = {"fakedns", "fakemx"};
	char *p;
	size_t i;

	for (i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++) {
		p = xasprintf("%s/%s", dir, helpers[i]);
		if (access(p, X_OK) < 0) {
			fprintf(stderr,
			    "danesim run: no %s (build it with make, or "
			    "install danesim with make install)\n",
			    p);
			free(p);
			return -1;
		}
		free(p);
	}
	return 0;
}

/*
 * hex_addr - "0100007F:0019" as /proc/net/{tcp,udp} print addr:port; an
 * IPv6 address as /proc/net/{tcp6,udp6} do (four 32-bit words, each in
 * the host's byte order).
 */
static int
hex_addr(const char *addr, int port, char *out, size_t outsz)
{
	struct in_addr in;
	struct in6_addr in6;
	uint32_t w[4];

	if (inet_pton(AF_INET, addr, &in) == 1) {
		snprintf(out, outsz, "%08X:%04X", (unsigned)in.s_addr, port);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &in6) != 1)
		return -1;
	memcpy(w, &in6, sizeof(w));
	snprintf(out, outsz, "%08X%08X%08X%08X:%04X", (unsigned)w[0],
	    (unsigned)w[1], (unsigned)w[2], (unsigned)w[3], port);
	return 0;
}

/*
 * own_sockets - " INODE " for every socket pid holds open, into b (its
 * /proc/<pid>/fd links "socket:[INODE]"). 0, or -1 when the folder
 * cannot be read (the process is gone).
 */
static int
own_sockets(pid_t pid, struct buf *b)
{
	char path[64], link[64];
	struct dirent *e;
	unsigned long ino;
	ssize_t len;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%ld/fd", (long)pid);
	if ((d = opendir(path)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/proc/%ld/fd/%.20s", (long)pid,
		    e->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) == 1)
			buf_printf(b, " %lu ", ino);
	}
	closedir(d);
	return 0;
}

/*
 * listening - 1 if every address of addrs has a socket of pid's own on
 * its port (ports[i], or port when ports is NULL) in
 * /proc/<pid>/net/<proto> or, for IPv6, <proto>6 (TCP: in LISTEN
 * state). Reading the table of the server's own namespace needs no
 * packet, so the fake servers' logs stay free of probes. The socket
 * must be pid's (its inode among pid's descriptors): another process
 * that holds the port (the fault tests' holder, a leftover) would
 * otherwise pass for the server, which then fails to bind it and exits
 * during the run.
 */
static int
listening(pid_t pid, const char *proto, char *const *addrs, const int *ports,
    size_t n, int port)
{
	char path[64], line[512], want[64], local[80], state[8], ino[32];
	struct buf all, mine;
	FILE *f;
	size_t i;
	int ok = 1, v;

	buf_init(&mine);
	buf_puts(&mine, "");
	if (own_sockets(pid, &mine) < 0) {
		buf_free(&mine);
		return 0;
	}
	buf_init(&all);
	buf_puts(&all, "");
	for (v = 0; v < 2; v++) {
		snprintf(path, sizeof(path), "/proc/%ld/net/%s%s", (long)pid,
		    proto, v ? "6" : "");
		f = fopen(path, "r");
		if (f == NULL) {
			if (v == 0) {
				buf_free(&all);
				return 0;
			}
			continue;
		}
		while (fgets(line, sizeof(line), f) != NULL) {
			/* sl local rem st queues timer retr uid timeout inode
			 */
			if (sscanf(line,
			        "%*s %79s %*s %7s %*s %*s %*s %*s %*s %31s",
			        local, state, ino) != 3)
				continue;
			if (strcmp(proto, "tcp") == 0 &&
			    strcmp(state, "0A") != 0)
				continue;
			snprintf(want, sizeof(want), " %s ", ino);
			if (strstr(buf_cstr(&mine), want) == NULL)
				continue;
			buf_printf(&all, " %s ", local);
		}
		fclose(f);
	}
	for (i = 0; i < n && ok; i++) {
		if (hex_addr(addrs[i], ports != NULL ? ports[i] : port, want,
		        sizeof(want)) < 0)
			continue;
		snprintf(local, sizeof(local), " %s ", want);
		if (strstr(buf_cstr(&all), local) == NULL)
			ok = 0;
	}
	buf_free(&all);
	buf_free(&mine);
	return ok;
}

/* wait_listening - wait until p listens everywhere; 0 or -1 (logged). */
static int
wait_listening(struct proc *p, const char *proto, char *const *addrs,
    const int *ports, size_t n, int port)
{
	sig_atomic_t seen = proc_interrupts;
	long long end = proc_now_ms() + RUN_READY_MS;

	while (proc_now_ms() < end && proc_interrupts == seen) {
		if (!proc_poll(p)) {
			log_errx("%s exited during start-up (status %d); "
			         "see its log in the run folder",
			    p->name, p->status);
			return -1;
		}
		if (listening(p->pid, proto, addrs, ports, n, port))
			return 0;
		proc_sleep_ms(50);
	}
	if (proc_interrupts == seen)
		log_errx("%s does not listen after %d s", p->name,
		    RUN_READY_MS / 1000);
	return -1;
}

/*
 * infra_fail - our own infrastructure failed: note why (printed once);
 * the scenarios it kept from being judged get the verdict error.
 */
static void infra_fail(struct run *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void
infra_fail(struct run *r, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (r->infra_failed)
		return;
	n = snprintf(r->infra_reason, sizeof(r->infra_reason),
	    "infrastructure failed: ");
	va_start(ap, fmt);
	vsnprintf(
	    r->infra_reason + n, sizeof(r->infra_reason) - (size_t)n, fmt, ap);
	va_end(ap);
	log_errx("%s", r->infra_reason);
	r->infra_failed = 1;
}

/* file_size - the size of path, 0 if it does not exist. */
static long
file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/*
 * oneline - text on one line: its lines joined with "; ", other control
 * bytes shown as '?', cut to max bytes (new string).
 */
static char *
oneline(const char *text, size_t max)
{
	struct buf b;
	int nl = 0;

	buf_init(&b);
	for (; *text != '\0' && b.len < max; text++) {
		if (*text == '\n' || *text == '\r') {
			nl = b.len > 0;
			continue;
		}
		if (nl)
			buf_puts(&b, "; ");
		nl = 0;
		buf_putc(&b, (*text >= 0x20 && *text < 0x7f) ? *text : '?');
	}
	buf_puts(&b, "");
	return buf_steal(&b);
}

/*
 * log_since - what a server wrote to its log from byte offset from on,
 * as oneline() gives it (new string).
 */
static char *
log_since(const char *path, long from, size_t max)
{
	char chunk[4096];
	struct buf b;
	size_t n;
	FILE *f;
	char *s;

	buf_init(&b);
	if ((f = fopen(path, "r")) != NULL) {
		if (fseek(f, from, SEEK_SET) == 0)
			while (b.len < 4 * max &&
			       (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
				buf_append(&b, chunk, n);
		fclose(f);
	}
	buf_puts(&b, "");
	s = oneline(buf_cstr(&b), max);
	buf_free(&b);
	return s;
}

/* addr_in - 1 if the IPv4 address addr appears in text as a whole. */
static int
addr_in(const char *text, const char *addr)
{
	size_t n = strlen(addr);
	const char *p;

	for (p = strstr(text, addr); p != NULL; p = strstr(p + 1, addr)) {
		if (p > text &&
		    (p[-1] == '.' || (p[-1] >= '0' && p[-1] <= '9')))
			continue;
		if (p[n] == '.' || (p[n] >= '0' && p[n] <= '9'))
			continue;
		return 1;
	}
	return 0;
}

/* addr6_in - 1 if the IPv6 address addr (may be NULL) is in text as a whole. */
static int
addr6_in(const char *text, const char *addr)
{
	size_t n = addr != NULL ? strlen(addr) : 0;
	const char *p;

	for (p = n ? strstr(text, addr) : NULL; p != NULL;
	     p = strstr(p + 1, addr)) {
		if (p > text &&
		    (isxdigit((unsigned char)p[-1]) || p[-1] == ':'))
			continue;
		if (isxdigit((unsigned char)p[n]) || p[n] == ':')
			continue;
		return 1;
	}
	return 0;
}

/*
 * scn_named_in - the scenario one of whose zone files or addresses a
 * fake server's complaint names, or NULL (the root, test. or nothing).
 */
static struct run_scn *
scn_named_in(struct run *r, const char *text)
{
	const struct scn *s = NULL;
	const char *base;
	char *pat;
	size_t i;

	for (i = 0; s == NULL && i < r->w->nzones; i++) {
		const struct world_zone *z = &r->w->zones[i];

		if (z->scn == NULL)
			continue;
		base = strrchr(z->file, '/');
		pat = xasprintf("/%s", base != NULL ? base + 1 : z->file);
		if (strstr(text, pat) != NULL || addr_in(text, z->addr))
			s = z->scn;
		free(pat);
	}
	for (i = 0; s == NULL && i < r->w->nmxs; i++)
		if (addr_in(text, r->w->mxs[i].addr) ||
		    addr6_in(text, r->w->mxs[i].addr6))
			s = r->w->mxs[i].scn;
	for (i = 0; s != NULL && i < r->n; i++)
		if (r->rs[i].s == s)
			return &r->rs[i];
	return NULL;
}

/*
 * conf_drop - remove from the JSON configuration at path every element
 * of the arrays named in keys whose "scenario" is id; 0 or -1 (logged).
 */
static int
conf_drop(const char *path, const char *id, const char *const *keys)
{
	json_error_t jerr;
	json_t *root, *a, *e;
	size_t i;
	char *tmp;
	int rc;

	root = json_load_file(path, 0, &jerr);
	if (root == NULL) {
		log_errx("%s:%d: %s", path, jerr.line, jerr.text);
		return -1;
	}
	for (; *keys != NULL; keys++) {
		a = json_object_get(root, *keys);
		for (i = 0; i < json_array_size(a);) {
			e = json_object_get(json_array_get(a, i), "scenario");
			if (json_is_string(e) &&
			    strcmp(json_string_value(e), id) == 0)
				json_array_remove(a, i);
			else
				i++;
		}
	}
	tmp = xasprintf("%s.tmp", path);
	rc = json_dump_file(root, tmp, JSON_INDENT(2));
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0)
		log_err("%s: write", path);
	free(tmp);
	json_decref(root);
	return rc;
}

/*
 * exclude - leave scenario x out of the fake servers' world (its zones,
 * faults and MX listeners) because a server refused its part (why);
 * it will be judged error. 0, or -1 when the configurations could not
 * be rewritten (logged).
 */
static int
exclude(struct run *r, struct run_scn *x, const char *why)
{
	static const char *const dns_keys[] = {"zones", "faults", NULL};
	static const char *const mx_keys[] = {"listeners", NULL};

	x->excluded = 1;
	x->error = 1;
	free(x->reason);
	x->reason = xasprintf("infrastructure failed: %s", why);
	log_warnx("scenario %s left out of the run: %s", x->s->id, why);
	printf("danesim run: scenario %s left out: %s\n", x->s->id, why);
	fflush(stdout);
	if (conf_drop(r->w->fakedns_conf, x->s->id, dns_keys) < 0 ||
	    conf_drop(r->w->fakemx_conf, x->s->id, mx_keys) < 0)
		return -1;
	return 0;
}

/* excluded - 1 if scenario s was left out of the world. */
static int
excluded(const struct run *r, const struct scn *s)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->rs[i].s == s)
			return r->rs[i].excluded;
	return 0;
}

/* start_server - spawn a fake server from bin_dir inside the namespace. */
static struct proc *
start_server(struct run *r, const char *prog, const char *conf)
{
	char *argv[4], *log_path;
	struct proc *p;

	argv[0] = xasprintf("%s/%s", r->bin_dir, prog);
	argv[1] = "-c";
	argv[2] = (char *)conf;
	argv[3] = NULL;
	if (access(argv[0], X_OK) < 0) {
		log_errx("%s is missing: build it first (make)", argv[0]);
		free(argv[0]);
		return NULL;
	}
	log_path = xasprintf("%s/%s.log", r->run_dir, prog);
	p = proc_spawn(prog, r->netns, argv, NULL, log_path);
	free(log_path);
	free(argv[0]);
	return p;
}

/*
 * start_fake - start fakedns (mx 0) or fakemx (mx 1) and wait until it
 * listens on every address of the world still in the run. A server that
 * refuses one scenario's part of the world (its log names a zone file
 * or an address of that scenario: a zone it cannot load, a port already
 * in use) is started again without that scenario, which is judged
 * error; anything else is an infrastructure failure. 0, or -1 (failure
 * noted, or interrupted).
 */
static int
start_fake(struct run *r, int mx, struct proc **pp)
{
	const char *prog = mx ? "fakemx" : "fakedns";
	char **addrs = NULL, *log_path, *said;
	int *ports = NULL;
	struct run_scn *x;
	size_t n, i, j;
	long from;
	int ok = 0;

	log_path = xasprintf("%s/%s.log", r->run_dir, prog);
	for (;;) {
		n = 0;
		for (i = 0; !mx && i < r->w->nzones; i++) {
			const struct world_zone *z = &r->w->zones[i];

			if (z->scn != NULL && excluded(r, z->scn))
				continue;
			for (j = 0; j < n; j++)
				if (strcmp(addrs[j], z->addr) == 0)
					break;
			if (j == n) {
				addrs =
				    xreallocarray(addrs, n + 1, sizeof(*addrs));
				addrs[n++] = z->addr;
			}
		}
		for (i = 0; mx && i < r->w->nmxs; i++) {
			if (excluded(r, r->w->mxs[i].scn))
				continue;
			addrs = xreallocarray(addrs, n + 1, sizeof(*addrs));
			ports = xreallocarray(ports, n + 1, sizeof(*ports));
			/* an mx block's "port N", else 25 */
			ports[n] = r->w->mxs[i].mx->port != 0
			               ? r->w->mxs[i].mx->port
			               : 25;
			addrs[n++] = r->w->mxs[i].addr;
			if (r->w->mxs[i].addr6 == NULL)
				continue;
			addrs = xreallocarray(addrs, n + 1, sizeof(*addrs));
			ports = xreallocarray(ports, n + 1, sizeof(*ports));
			ports[n] = ports[n - 1];
			addrs[n++] = r->w->mxs[i].addr6;
		}
		from = file_size(log_path);
		*pp = start_server(
		    r, prog, mx ? r->w->fakemx_conf : r->w->fakedns_conf);
		if (*pp == NULL) {
			infra_fail(r, "%s could not be started", prog);
			break;
		}
		if (mx)
			ok = wait_listening(*pp, "tcp", addrs, ports, n, 25) ==
			     0;
		else
			ok =
			    wait_listening(*pp, "udp", addrs, NULL, n, 53) ==
			        0 &&
			    wait_listening(*pp, "tcp", addrs, NULL, n, 53) == 0;
		if (ok || proc_interrupts > 0)
			break;
		proc_stop(*pp, 1000);
		said = log_since(log_path, from, 400);
		x = scn_named_in(r, said);
		if (x == NULL || x->excluded) {
			infra_fail(r, "%s did not start: %s", prog,
			    said[0] ? said : "no reason in its log");
			free(said);
			ok = 0;
			break;
		}
		proc_free(*pp);
		*pp = NULL;
		ok = exclude(r, x, said) == 0;
		free(said);
		if (!ok) {
			infra_fail(r,
			    "the configuration of %s could not be "
			    "rewritten without scenario %s",
			    prog, x->s->id);
			break;
		}
		for (i = 0, j = 0; i < r->n; i++)
			j += !r->rs[i].excluded;
		if (j == 0) {
			infra_fail(r, "%s refused every scenario", prog);
			ok = 0;
			break;
		}
	}
	free(addrs);
	free(ports);
	free(log_path);
	return ok ? 0 : -1;
}

/*
 * test_hook - $DANESIM_TEST_NETNS_HOOK, a shell command run to completion
 * inside the fresh namespace before any server starts, with
 * DANESIM_RUN_DIR set (the e2e fault tests occupy a port or spoil a zone
 * file with it). Its failure is only logged.
 */
static void
test_hook(struct run *r)
{
	const char *hook = getenv(RUN_TEST_HOOK);
	char *argv[] = {"sh", "-c", NULL, NULL};
	int rc;

	if (hook == NULL || hook[0] == '\0')
		return;
	argv[2] = (char *)hook;
	setenv("DANESIM_RUN_DIR", r->run_dir, 1);
	log_warnx("running the test hook %s", RUN_TEST_HOOK);
	rc = proc_run("test hook", r->netns, argv, NULL, RUN_SHORT_MS, NULL);
	if (rc != 0)
		log_warnx("the test hook exited %d", rc);
}

/*
 * write_pids - RUN/pids: "NAME PID" for every part of the run's
 * infrastructure, so an operator (or a fault test) finds them.
 */
static void
write_pids(struct run *r)
{
	char *path = xasprintf("%s/pids", r->run_dir);
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		log_err("%s", path);
		free(path);
		return;
	}
	fprintf(f, "danesim %ld\n", (long)getpid());
	if (r->fakedns != NULL)
		fprintf(f, "fakedns %ld\n", (long)r->fakedns->pid);
	if (r->fakemx != NULL)
		fprintf(f, "fakemx %ld\n", (long)r->fakemx->pid);
	if (r->cap != NULL)
		fprintf(f, "capture %ld\n", (long)r->cap->pid);
	if (r->unbound != NULL)
		fprintf(f, "unbound %ld\n", (long)r->unbound->pid);
	if (fclose(f) != 0)
		log_err("%s", path);
	free(path);
}

/*
 * probe - resolver_probe, but giving up at once when Unbound exits (a
 * port already in use): 0 when it validates, else -1 (why in err).
 */
static int
probe(struct run *r, char *err, size_t errsz)
{
	long long end = proc_now_ms() + RUN_PROBE_MS;
	int rc;

	snprintf(err, errsz, "no answer");
	while (proc_interrupts == 0 && proc_poll(r->unbound)) {
		rc = resolver_probe_once(r->netns, RESOLVER_ADDR, err, errsz);
		log_debug("resolver probe: %d (%s)", rc, err);
		if (rc == 0)
			return 0;
		if (rc < 0 || proc_now_ms() >= end)
			break;
		proc_sleep_ms(200);
	}
	return -1;
}

/*
 * wait_resolver - wait until Unbound has its UDP socket on the resolver
 * address, or has exited, or RUN_PROBE_MS passed, so that the first
 * probe does not go out before it and wait out its time-out. What went
 * wrong is for probe() and its caller to report.
 */
static void
wait_resolver(struct run *r)
{
	char *addrs[] = {RESOLVER_ADDR};
	long long end = proc_now_ms() + RUN_PROBE_MS;

	while (proc_interrupts == 0 && proc_now_ms() < end &&
	       proc_poll(r->unbound) &&
	       !listening(r->unbound->pid, "udp", addrs, NULL, 1, 53))
		proc_sleep_ms(20);
}

/*
 * start_infra - namespace, fakedns, capture, Unbound and fakemx; probe.
 * 0, or -1: a setup error (r->infra_failed 0: nothing to judge) or an
 * infrastructure failure (r->infra_failed 1: judged as error).
 */
static int
start_infra(struct run *r)
{
	char *pcap, *udir, *conf, err[512];
	long from;
	size_t i;

	snprintf(
	    r->netns, sizeof(r->netns), "%s%ld", NETNS_PREFIX, (long)getpid());
	if (netns_exists(r->netns))
		netns_destroy(r->netns, 500);
	if (netns_create(r->netns, RESOLVER_ADDR) < 0)
		return -1;
	r->netns_made = 1;
	/* The MX hosts' IPv6 addresses (127.0.0.0/8 needs none). */
	for (i = 0; i < r->w->nmxs; i++)
		if (r->w->mxs[i].addr6 != NULL &&
		    !excluded(r, r->w->mxs[i].scn) &&
		    netns_addr6_add(r->netns, r->w->mxs[i].addr6) < 0) {
			log_errx("scenario %s: MX host %s needs IPv6 address "
			         "%s in the run's namespace (is IPv6 disabled "
			         "in the kernel?)",
			    r->w->mxs[i].scn->id, r->w->mxs[i].mx->name,
			    r->w->mxs[i].addr6);
			return -1;
		}
	test_hook(r);

	if (start_fake(r, 0, &r->fakedns) < 0)
		return -1;

	pcap = xasprintf("%s/capture.pcap", r->run_dir);
	r->cap = capture_start(r->netns, pcap, err, sizeof(err));
	free(pcap);
	if (r->cap == NULL) {
		log_warnx(
		    "no packet capture: %s (verdicts use the logs only)", err);
		snprintf(r->cap_note, sizeof(r->cap_note), "%s", err);
	} else
		r->cap_ok = 1;

	udir = xasprintf("%s/unbound", r->run_dir);
	conf = resolver_write_conf(
	    udir, RESOLVER_ADDR, r->w->root_hints, r->w->trust_anchor);
	free(udir);
	if (conf == NULL)
		return -1;
	udir = xasprintf("%s/unbound/unbound.stderr", r->run_dir);
	from = file_size(udir);
	r->unbound =
	    proc_spawn("unbound", r->netns, resolver_argv(conf), NULL, udir);
	free(conf);
	if (r->unbound == NULL) {
		free(udir);
		infra_fail(r, "unbound could not be started");
		return -1;
	}
	/* fakemx starts while Unbound does: neither needs the other. */
	if (start_fake(r, 1, &r->fakemx) < 0) {
		free(udir);
		return -1;
	}
	write_pids(r);
	wait_resolver(r);
	if (probe(r, err, sizeof(err)) < 0 || !proc_poll(r->unbound)) {
		/*
		 * An Unbound that died (a port in use, a configuration it
		 * refused) is our infrastructure failing; one that runs but
		 * does not validate is a setup problem of this host.
		 */
		if (proc_interrupts > 0) {
		} else if (!proc_poll(r->unbound) ||
		           (proc_sleep_ms(200), !proc_poll(r->unbound))) {
			conf = log_since(udir, from, 300);
			if (conf[0] == '\0') {
				free(conf);
				conf = xasprintf(
				    "%s/unbound/unbound.log", r->run_dir);
				free(udir);
				udir = conf;
				conf = log_since(udir, 0, 300);
			}
			infra_fail(r,
			    "unbound exited during start-up (status "
			    "%d): %s",
			    r->unbound->status,
			    conf[0] ? conf : "see unbound/unbound.log");
			free(conf);
		} else
			log_errx("resolver does not validate: %s (see "
			         "%s/unbound/unbound.log)",
			    err, r->run_dir);
		free(udir);
		return -1;
	}
	free(udir);
	log_info("resolver validates (AD=1 for . and test.)");
	return 0;
}

/*
 * validate_opts - the profile's validate step on the --sut-opt pairs,
 * before anything of the run exists; 0, or -1 (printed): a SUT must
 * never run with an option it does not know or a value it ignores.
 */
static int
validate_opts(struct run *r)
{
	struct buf out;
	int rc;

	if (r->prof->steps[SUT_STEP_VALIDATE] == NULL) {
		if (r->o.nsut_opts > 0)
			fprintf(stderr,
			    "danesim run: note: the %s profile has no "
			    "validate step; --sut-opt is passed on "
			    "unchecked\n",
			    r->prof->name);
		return 0;
	}
	buf_init(&out);
	rc = sut_validate(r->prof, r->bin_dir, r->o.sut_opts, r->o.nsut_opts,
	    RUN_STEP_MS, &out);
	if (rc != 0 && proc_interrupts == 0)
		fprintf(stderr,
		    "danesim run: --sut-opt rejected by the %s profile's "
		    "validate step (exit %d)%s%s%s",
		    r->prof->name, rc, out.len ? ":\n" : "\n", buf_cstr(&out),
		    out.len && out.data[out.len - 1] != '\n' ? "\n" : "");
	buf_free(&out);
	return rc == 0 ? 0 : -1;
}

/* step_ok - run a SUT step; 0 when it exits 0, else -1 (printed). */
static int
step_ok(struct run *r, enum sut_step st, int timeout_ms)
{
	struct buf out;
	double t0 = wall_now();
	int rc;

	buf_init(&out);
	rc = sut_run_step(r->sut, st, NULL, timeout_ms, &out);
	log_info("time: SUT %s step %.2f s", sut_step_str(st), wall_now() - t0);
	if (rc != 0 && proc_interrupts == 0)
		fprintf(stderr,
		    "danesim run: SUT %s step failed (exit %d)%s%s\n",
		    sut_step_str(st), rc, out.len ? ":\n" : "", buf_cstr(&out));
	buf_free(&out);
	return rc == 0 ? 0 : -1;
}

/* start_sut - prepare, start, version, check; 0 or -1 (printed). */
static int
start_sut(struct run *r)
{
	struct buf out;
	char *sut_dir, *ta, *rk;
	size_t i;

	sut_dir = xasprintf("%s/sut", r->run_dir);
	ta = realpath(r->w->trust_anchor, NULL);
	rk = realpath(r->w->root_key, NULL);
	r->sut = sut_new(r->prof, r->netns, r->run_dir, sut_dir, r->bin_dir,
	    RESOLVER_ADDR, ta != NULL ? ta : r->w->trust_anchor,
	    rk != NULL ? rk : r->w->root_key, r->o.sut_opts, r->o.nsut_opts);
	free(sut_dir);
	free(ta);
	free(rk);
	sut_setenv(r->sut, "DANESIM_KEEP", r->o.keep ? "1" : "0");
	sut_setenv(r->sut, "DANESIM_NETNS", r->netns);
	/* the world folder is absolute (world_build made it so) */
	sut_setenv(r->sut, "DANESIM_SUT_POLICY", r->w->sut_policy);
	sut_setenv(r->sut, "DANESIM_TRUSTED_CAS", r->w->trusted_cas);
	if (step_ok(r, SUT_STEP_PREPARE, RUN_STEP_MS) < 0)
		return -1;
	r->sut_started = 1;
	if (step_ok(r, SUT_STEP_START, RUN_STEP_MS) < 0)
		return -1;
	buf_init(&out);
	if (sut_has(r->sut, SUT_STEP_VERSION) &&
	    sut_run_step(r->sut, SUT_STEP_VERSION, NULL, RUN_SHORT_MS, &out) ==
	        0) {
		i = strcspn(buf_cstr(&out), "\r\n");
		r->sut_version = xstrndup(buf_cstr(&out), i);
	}
	buf_free(&out);
	sut_config(r);
	if (step_ok(r, SUT_STEP_CHECK, RUN_SHORT_MS) < 0) {
		r->setup_failed = 1;
		return -1;
	}
	r->sut_ready = 1;
	return 0;
}

/* clean_text - printable ASCII copy of s for a header (new string). */
static char *
clean_text(const char *s, size_t max)
{
	struct buf b;

	buf_init(&b);
	for (; s != NULL && *s != '\0' && b.len < max; s++)
		buf_putc(&b, (*s >= 0x20 && *s < 0x7f) ? *s : '?');
	buf_puts(&b, "");
	return buf_steal(&b);
}

/*
 * write_message - message k of x into dir: message 1 keeps the id and
 * file name of a scenario with one message, message k > 1 gets
 * <danesim.ID.k.STAMP@danesim.test> and ID.k.eml. 0, or -1 (logged).
 */
static int
write_message(
    struct run *r, struct run_scn *x, int k, const char *dir, const char *date)
{
	struct run_msg *m = &x->m[k - 1];
	char *title;
	FILE *f;

	if (k == 1) {
		m->message_id = xasprintf(
		    "<danesim.%s.%s@danesim.test>", x->s->id, r->stamp);
		m->file = xasprintf("%s/%s.eml", dir, x->s->id);
	} else {
		m->message_id = xasprintf(
		    "<danesim.%s.%d.%s@danesim.test>", x->s->id, k, r->stamp);
		m->file = xasprintf("%s/%s.%d.eml", dir, x->s->id, k);
	}
	f = fopen(m->file, "w");
	if (f == NULL) {
		log_err("%s", m->file);
		return -1;
	}
	title = clean_text(x->s->title, 200);
	fprintf(f,
	    "From: danesim <%s>\r\n"
	    "To: <%s>\r\n"
	    "Subject: danesim scenario %s: %s\r\n"
	    "Message-ID: %s\r\n"
	    "Date: %s\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=us-ascii\r\n"
	    "\r\n"
	    "This is a test message of danesim run %s, scenario %s.\r\n"
	    "It certifies DANE (RFC 7672) in the sending MTA.\r\n",
	    RUN_SENDER, x->recipient, x->s->id, title, m->message_id, date,
	    r->stamp, x->s->id);
	if (k > 1)
		fprintf(f, "It is message %d of %d of the scenario.\r\n", k,
		    x->nmsgs);
	free(title);
	if (fclose(f) != 0) {
		log_err("%s", m->file);
		return -1;
	}
	return 0;
}

/* prepare_messages - recipient, Message-IDs and message files per scn. */
static int
prepare_messages(struct run *r)
{
	char *dir, date[64];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int k;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	dir = xasprintf("%s/messages", r->run_dir);
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		log_err("mkdir %s", dir);
		free(dir);
		return -1;
	}
	r->n = r->suite.n;
	r->rs = xcalloc(r->n, sizeof(*r->rs));
	r->order = inject_order(&r->suite);
	for (i = 0; i < r->n; i++) {
		struct run_scn *x = &r->rs[i];

		x->s = r->suite.items[i];
		x->window = x->s->window > 0 ? x->s->window : r->o.window;
		x->nmsgs = scn_messages(x->s);
		if (x->s->recipient != NULL)
			x->recipient =
			    world_expand(r->w, x->s, x->s->recipient);
		else
			x->recipient = xasprintf("rcpt@%s.test", x->s->id);
		if (x->recipient == NULL ||
		    strpbrk(x->recipient, "\r\n\"<> ") != NULL) {
			fprintf(stderr, "%s: unusable recipient\n", x->s->file);
			free(dir);
			return -1;
		}
		for (k = 1; k <= x->nmsgs; k++)
			if (write_message(r, x, k, dir, date) < 0) {
				free(dir);
				return -1;
			}
	}
	free(dir);
	return 0;
}

/* msg_of - the SUT's view of message k (1-based) of scenario x. */
static struct sut_msg
msg_of(const struct run_scn *x, int k)
{
	struct sut_msg m;

	m.scenario = x->s->id;
	m.sender = RUN_SENDER;
	m.recipient = x->recipient;
	m.file = x->m[k - 1].file;
	m.message_id = x->m[k - 1].message_id;
	m.number = k;
	m.tries = 0;
	return m;
}

/* att_status - the SUT's word for x's attempt in progress: on the
 * newest message sent (message 1 of a scenario of one message). */
static enum scn_sut
att_status(const struct run_scn *x)
{
	return x->m[x->nsent > 0 ? x->nsent - 1 : 0].status;
}

/* msg_final - whether the SUT's word on m can no longer change (a
 * frozen message is never retried). */
static int
msg_final(const struct run_msg *m)
{
	return m->status == SCN_SUT_DELIVERED || m->status == SCN_SUT_BOUNCED ||
	       m->status == SCN_SUT_FROZEN;
}

/* set_status - record the status step's answer out on m. */
static void
set_status(struct run_msg *m, const char *out)
{
	m->status = sut_status_parse(out);
	m->sut_attempts = sut_status_attempts(out);
	free(m->sut_text);
	m->sut_text = sut_status_text(out);
}

/*
 * frozen_reason - when the SUT froze a message of x that no fake MX
 * stored, why x can never be decided (newly allocated), else NULL: the
 * SUT will never retry it, so waiting for the window is pointless.
 */
static char *
frozen_reason(const struct run_scn *x, const struct facts_scn *fs)
{
	struct facts_scn *v;
	int k, frozen;

	for (k = 0; k < x->nsent; k++) {
		if (x->m[k].status != SCN_SUT_FROZEN)
			continue;
		if (x->nmsgs > 1) {
			v = facts_of_message(fs, x->m[k].message_id);
			frozen = score_frozen(v, x->m[k].status);
			facts_view_free(v);
		} else
			frozen = score_frozen(fs, x->m[k].status);
		if (!frozen)
			continue;
		return xasprintf("the SUT froze %s (it is never retried): %s",
		    x->nmsgs > 1 ? "a message" : "the message",
		    x->m[k].sut_text ? x->m[k].sut_text
		                     : "its status step gave no reason");
	}
	return NULL;
}

/*
 * sut_count - the attempts the status step counted over x's messages
 * (a retry shows itself when it grows), 0 when the profile counts none.
 */
static int
sut_count(const struct run_scn *x)
{
	int k, n = 0;

	for (k = 0; k < x->nsent; k++)
		n += x->m[k].sut_attempts;
	return n;
}

/* status_str - "exit status N" or "killed by signal N" (static). */
static const char *
status_str(int status)
{
	static char s[40];

	if (WIFSIGNALED(status))
		snprintf(s, sizeof(s), "killed by signal %d", WTERMSIG(status));
	else
		snprintf(s, sizeof(s), "exit status %d", WEXITSTATUS(status));
	return s;
}

/*
 * infra_alive - 0 while fakedns, fakemx, Unbound and the capture run
 * and the run folder has room; else -1 (the failure noted).
 */
static int
infra_alive(struct run *r)
{
	struct proc *ps[] = {r->fakedns, r->fakemx, r->unbound};
	long long left;
	size_t i;
	char st;

	for (i = 0; i < 3; i++) {
		if (ps[i] == NULL || proc_poll(ps[i]))
			continue;
		infra_fail(r, "%s exited (%s) during the run", ps[i]->name,
		    status_str(ps[i]->status));
		return -1;
	}
	/* The capture is our child: dead but not reaped, it is a zombie. */
	if (r->cap != NULL &&
	    (proc_stat(r->cap->pid, &st, NULL) < 0 || st == 'Z')) {
		infra_fail(r,
		    "the packet capture (pid %ld) exited during the run",
		    (long)r->cap->pid);
		snprintf(r->cap_note, sizeof(r->cap_note),
		    "the capture process exited during the run: packets after "
		    "that are missing");
		return -1;
	}
	left = disk_free(r->run_dir);
	if (left >= 0 && left < RUN_DISK_RESERVE) {
		infra_fail(r,
		    "the run folder's file system is nearly full (%lld KiB "
		    "left, less than the %lld KiB kept for the reports); the "
		    "evidence can no longer be recorded",
		    left >> 10, RUN_DISK_RESERVE >> 10);
		return -1;
	}
	return 0;
}

/*
 * scn_input - the score input the run loop decides x by: its log facts
 * and, per message, the Message-ID and the SUT's word (msgs, x->nmsgs
 * entries, filled here).
 */
static struct score_input
scn_input(
    const struct run_scn *x, const struct facts_scn *fs, struct score_msg *msgs)
{
	struct score_input in;
	int k;

	memset(&in, 0, sizeof(in));
	in.s = x->s;
	in.logs = fs;
	in.sut = x->m[0].status;
	for (k = 0; k < x->nsent; k++) {
		msgs[k].message_id = x->m[k].message_id;
		msgs[k].sut = x->m[k].status;
	}
	if (x->nmsgs > 1) {
		in.msgs = msgs;
		in.nmsgs = (size_t)x->nsent;
	}
	return in;
}

/* decide - mark x decided and print the progress line. */
static void
decide(
    struct run *r, struct run_scn *x, const struct facts_scn *fs, size_t *ndone)
{
	struct score_msg msgs[SCN_MESSAGES_MAX];
	struct score_input in = scn_input(x, fs, msgs);
	int k;

	x->decided = 1;
	x->att[x->attempt - 1].ended = wall_now();
	x->att[x->attempt - 1].status = att_status(x);
	for (k = 0; k < x->nsent; k++)
		if (x->m[k].last == 0)
			x->m[k].last = x->attempt;
	(*ndone)++;
	if (r->o.quiet)
		return;
	printf("[%zu/%zu] %s", *ndone, r->n, x->s->id);
	if (x->nmsgs == 1)
		printf(" %s",
		    scn_outcome_str(score_outcome(fs, x->m[0].status, NULL)));
	for (k = 1; x->nmsgs > 1 && k <= x->nmsgs; k++)
		printf("%s message %d: %s", k > 1 ? "," : "", k,
		    k <= x->nsent
		        ? scn_outcome_str(score_outcome_of(&in, k, NULL))
		        : "never sent");
	if (x->attempt > 1)
		printf(" (%d attempts)", x->attempt);
	printf("\n");
	fflush(stdout);
}

/* attempt_seen - whether the attempt in progress has shown itself
   (phase_attempt_seen). */
static int
attempt_seen(const struct run_scn *x, const struct facts_scn *fs, long long now)
{
	return phase_attempt_seen(fs, x->attempt,
	    x->att[x->attempt - 1].started, sut_count(x), x->sut_base,
	    x->sut_carry, x->status_at, now - x->retry_ms, RUN_RETRY_QUIET_MS);
}

/*
 * retry - end the attempt in progress (a message deferred, or one still
 * to send) and open the next: the SUT's word on every message that is
 * not final is forgotten; fs (the facts just read) tells which tries of
 * the attempt ending the status step has not yet counted.
 */
static void
retry(struct run_scn *x, const struct facts_scn *fs)
{
	double t = wall_now();
	int k;

	x->att[x->attempt - 1].ended = t;
	x->att[x->attempt - 1].status = att_status(x);
	x->attempt++;
	x->att[x->attempt - 1].started = t;
	x->retry_ms = proc_now_ms();
	x->sut_base = sut_count(x);
	x->sut_carry = phase_carry(fs, t, x->status_at);
	for (k = 0; k < x->nsent; k++)
		if (!msg_final(&x->m[k])) {
			x->m[k].status = SCN_SUT_UNKNOWN;
			x->m[k].tries_asked = x->m[k].sut_attempts;
		}
	x->status_ms = 0;
	log_info("%s: attempt %d", x->s->id, x->attempt);
}

static void give_up(
    struct run *r, struct run_scn *x, const char *reason, size_t *ndone);

/*
 * inject_next - inject message x->nsent + 1 of x, in the attempt just
 * opened. 0, or -1 when the inject step failed (x given up).
 */
static int
inject_next(struct run *r, struct run_scn *x, size_t *ndone)
{
	struct run_msg *m = &x->m[x->nsent];
	struct sut_msg sm = msg_of(x, x->nsent + 1);
	char why[96];
	double t0 = wall_now();
	int rc;

	rc = sut_run_step(r->sut, SUT_STEP_INJECT, &sm, RUN_SHORT_MS, NULL);
	r->t_inject += wall_now() - t0;
	m->injected = 1;
	m->injected_at = wall_now();
	m->attempt = x->attempt;
	x->nsent++;
	if (rc != 0) {
		snprintf(why, sizeof(why),
		    "the SUT's inject step failed on message %d (exit %d)",
		    x->nsent, rc);
		give_up(r, x, why, ndone);
		return -1;
	}
	log_info("injected %s message %d", x->s->id, x->nsent);
	return 0;
}

/* attempts_of - the attempts x gets: --attempts, or more if its scenario
 * asks for more ("attempts N": its phases need them). */
static int
attempts_of(const struct run *r, const struct run_scn *x)
{
	return x->s->attempts > r->o.attempts ? x->s->attempts
	                                      : (int)r->o.attempts;
}

/*
 * phase_next - x opened its next attempt: when it has phases, tell the
 * fake servers (the attempt state file, before the SUT is flushed) and,
 * when its DNS changes with the attempts, make the resolver forget its
 * zones so the SUT's next lookups reach fakedns. 0, or -1 when either
 * failed (logged; what failed in why).
 */
static int
phase_next(struct run *r, const struct run_scn *x, char *why, size_t whysz)
{
	const char **ids;
	char *conf;
	size_t i, k = 0;
	int *n, rc;

	if (!phase_scn_has(x->s))
		return 0;
	ids = xcalloc(r->n, sizeof(*ids));
	n = xcalloc(r->n, sizeof(*n));
	for (i = 0; i < r->n; i++)
		if (r->rs[i].attempt > 1) {
			ids[k] = r->rs[i].s->id;
			n[k++] = r->rs[i].attempt;
		}
	rc = phase_write(r->run_dir, ids, n, k, why, whysz);
	free(ids);
	free(n);
	if (rc == 0 && phase_scn_has_dns(x->s)) {
		conf = xasprintf("%s/unbound/unbound.conf", r->run_dir);
		rc = phase_resolver_flush(
		    r->netns, conf, r->w, x->s, why, whysz);
		free(conf);
	}
	return rc;
}

/* give_up - mark x undecided with reason and print the progress line. */
static void
give_up(struct run *r, struct run_scn *x, const char *reason, size_t *ndone)
{
	x->reason = xstrdup(reason);
	(*ndone)++;
	if (r->o.quiet)
		return;
	printf("[%zu/%zu] %s undecided (%s)\n", *ndone, r->n, x->s->id, reason);
	fflush(stdout);
}

/*
 * flush_done - the SUT's flush step ended with status rc. On success the
 * retries it triggered are under way. On failure the SUT was never made
 * to retry: a retry opened since the last good flush would otherwise
 * "end" without a connection and be judged as an attempt the SUT never
 * made, so those scenarios are given up (inconclusive) and the failure
 * is noted as an observation about the SUT (its profile's step).
 */
static void
flush_done(struct run *r, int rc, size_t *ndone, size_t *inflight)
{
	char reason[160];
	size_t i;

	if (rc != 0 && r->sut_note[0] == '\0')
		snprintf(r->sut_note, sizeof(r->sut_note),
		    "the SUT profile's flush step failed (%s %d): retries it "
		    "was to trigger never happened",
		    rc < 0 ? "did not run or timed out, status" : "exit", rc);
	for (i = 0; i < r->n; i++) {
		struct run_scn *x = &r->rs[i];

		if (!x->retry_pending)
			continue;
		x->retry_pending = 0;
		if (rc == 0 || x->decided || x->reason != NULL)
			continue;
		snprintf(reason, sizeof(reason),
		    "the SUT's flush step failed (%s %d): attempt %d was "
		    "never triggered",
		    rc < 0 ? "did not run or timed out, status" : "exit", rc,
		    x->attempt);
		give_up(r, x, reason, ndone);
		(*inflight)--;
	}
}

/*
 * settled - whether every message x has sent is decided for its attempt
 * in progress (score_decided on its own stored copies), and *deferred
 * set when one of them ended deferred. A scenario of one message is
 * judged on all it stored, as before messages existed.
 */
static int
settled(const struct run_scn *x, const struct facts_scn *fs, int *deferred)
{
	struct score_msg msgs[SCN_MESSAGES_MAX];
	struct score_input in = scn_input(x, fs, msgs);
	struct facts_scn *v;
	int k, ok = 1;

	*deferred = 0;
	if (x->nmsgs == 1) {
		*deferred =
		    score_outcome(fs, x->m[0].status, NULL) == SCN_OUT_DEFERRED;
		return score_decided(fs, x->m[0].status);
	}
	for (k = 0; k < x->nsent && ok; k++) {
		v = facts_of_message(fs, x->m[k].message_id);
		ok = score_decided(v, x->m[k].status);
		facts_view_free(v);
		if (score_outcome_of(&in, k + 1, NULL) == SCN_OUT_DEFERRED)
			*deferred = 1;
	}
	return ok;
}

/* settle_messages - every message of x whose outcome is no longer
 * deferred ended in the attempt in progress (run.json's "attempts"). */
static void
settle_messages(struct run_scn *x, const struct facts_scn *fs)
{
	struct score_msg msgs[SCN_MESSAGES_MAX];
	struct score_input in = scn_input(x, fs, msgs);
	int k;

	for (k = 0; k < x->nsent; k++)
		if (x->m[k].last == 0 &&
		    score_outcome_of(&in, k + 1, NULL) != SCN_OUT_DEFERRED)
			x->m[k].last = x->attempt;
}

/*
 * decide_pass - read the fake servers' logs and decide every open
 * scenario among the first next that score_decided() allows, or whose
 * window has ended; a scenario with a message deferred or one still to
 * send opens its next attempt instead while it has attempts left.
 */
static void
decide_pass(
    struct run *r, size_t next, size_t *ndone, size_t *inflight, int *flush_due)
{
	struct facts *f;
	struct facts_scn *fs;
	long long now;
	char why[64], pwhy[400], reason[512], *frozen;
	double t0 = wall_now();
	size_t i;
	int deferred, held, more, can_flush = sut_has(r->sut, SUT_STEP_FLUSH);

	if (r->tail == NULL)
		r->tail = facts_tail_new(r->w, r->run_dir);
	f = facts_tail_read(r->tail);
	r->t_facts += wall_now() - t0;
	r->n_facts++;
	now = proc_now_ms();
	for (i = 0; i < next; i++) {
		struct run_scn *x = &r->rs[r->order[i]];

		if (x->decided || x->reason != NULL)
			continue;
		fs = facts_for(f, x->s);
		x->shown = attempt_seen(x, fs, now);
		if (settled(x, fs, &deferred) && x->shown) {
			/*
			 * A deferral with attempts left (and a profile that
			 * can be made to retry: a flush step), or a message
			 * still to send: next attempt, but not before the
			 * attempt is RUN_RETRY_MIN_MS old, as a queue's
			 * back-off would not: a SUT may treat a retry
			 * differently once the message has waited its
			 * minimal back-off (Postfix's plaintext fallback at
			 * level may does).
			 */
			more = x->nsent < x->nmsgs;
			held = deferred;
			deferred = deferred && can_flush;
			if (x->attempt < attempts_of(r, x) &&
			    (deferred || more)) {
				if ((wall_now() -
				        x->att[x->attempt - 1].started) *
				        1000 <
				    RUN_RETRY_MIN_MS)
					continue;
				settle_messages(x, fs);
				retry(x, fs);
				if (phase_next(r, x, pwhy, sizeof(pwhy)) < 0) {
					/* the SUT would meet the old world:
					 * judging it would blame it for ours */
					infra_fail(r, "%s", pwhy);
					x->error = 1;
					snprintf(reason, sizeof(reason),
					    "infrastructure failed: the world "
					    "of its next attempt could not be "
					    "set up: %s",
					    pwhy);
					give_up(r, x, reason, ndone);
					(*inflight)--;
					continue;
				}
				if (more && inject_next(r, x, ndone) < 0) {
					(*inflight)--;
					continue;
				}
				if (deferred) {
					x->retry_pending = 1;
					*flush_due = 1;
				}
				continue;
			}
			/*
			 * Its phases need another attempt and nothing can
			 * make the SUT retry: judging the first attempt's
			 * deferral as the outcome would blame the SUT.
			 */
			if (x->attempt < x->s->attempts && !can_flush && held) {
				snprintf(reason, sizeof(reason),
				    "the SUT profile has no flush step: "
				    "attempt %d, which the scenario's "
				    "phases need, was never made",
				    x->attempt + 1);
				give_up(r, x, reason, ndone);
				(*inflight)--;
				continue;
			}
			decide(r, x, fs, ndone);
			(*inflight)--;
		} else if ((frozen = frozen_reason(x, fs)) != NULL) {
			/* the attempt in progress is the last: never retried */
			x->att[x->attempt - 1].ended = wall_now();
			x->att[x->attempt - 1].status = att_status(x);
			give_up(r, x, frozen, ndone);
			free(frozen);
			(*inflight)--;
		} else if (now >= x->deadline_ms) {
			snprintf(why, sizeof(why), "window of %ld s ended",
			    x->window);
			give_up(r, x, why, ndone);
			(*inflight)--;
		}
	}
}

/*
 * one_attempt - a profile without a flush step (the command profile
 * without --sut-opt flush=...) cannot be made to retry: a retry danesim
 * opened would wait for an attempt that never comes and end every
 * deferred scenario inconclusive. Run one attempt per scenario instead,
 * as --attempts 1 does, and say so in the terminal and (run.json's
 * attempts_note) the reports.
 */
static void
one_attempt(struct run *r)
{
	long want = r->o.attempts;
	size_t i;

	if (sut_has(r->sut, SUT_STEP_FLUSH))
		return;
	for (i = 0; i < r->n; i++)
		if (r->rs[i].s->attempts > want)
			want = r->rs[i].s->attempts;
	if (want <= 1)
		return;
	snprintf(r->attempts_note, sizeof(r->attempts_note),
	    "the profile has no flush step: one attempt per scenario "
	    "(up to %ld asked for; nothing can make the SUT retry)",
	    want);
	fprintf(stderr, "danesim run: SUT profile %s: %s\n", r->prof->name,
	    r->attempts_note);
	r->o.attempts = 1;
}

/*
 * status_round - the SUT's status of the nb messages of msgs: from one
 * status-batch step when the profile gives one and it works, else one
 * status step per message (rcs, outs as sut_run_batch gives them).
 */
static void
status_round(struct sut *sut, const struct sut_msg *msgs, size_t nb, int *rcs,
    char **outs)
{
	if (sut_has(sut, SUT_STEP_STATUS_BATCH) &&
	    sut_status_batch(sut, msgs, nb, RUN_STATUS_TIMEOUT_MS, rcs, outs) ==
	        0)
		return;
	sut_run_batch(sut, SUT_STEP_STATUS, msgs, nb, RUN_STATUS_TIMEOUT_MS,
	    rcs, outs, NULL);
}

/*
 * flush_list - into msgs, the messages the flush step is to make the SUT
 * retry (returns how many): those not yet final of every open scenario
 * whose next attempt was just opened (retry_pending) and, when again is
 * set (the flush now and then), of every one whose attempt in progress
 * has not shown itself yet (a flush the SUT missed), each with the tries
 * the SUT had made when that attempt was opened (a SUT that has made
 * more since does not try again: a flush asked again while the first
 * was still under way asks for no second retry). Never a message
 * whose next attempt danesim has not opened: retried now, it would meet
 * the world of the attempt before, and its try would be taken for the
 * next attempt's once danesim opened that. Nor a message handed over in
 * the attempt in progress ("messages N": message k opens attempt k): its
 * hand-over is its try there, and a retry asked with no count to limit
 * it (the status step has counted no try of it yet) made a second try
 * in the same attempt once the first had ended (refsut, whose deliveries
 * end within milliseconds).
 */
static size_t
flush_list(const struct run *r, size_t next, int again, struct sut_msg *msgs)
{
	size_t i, nb = 0;
	int k;

	for (i = 0; i < next; i++) {
		const struct run_scn *x = &r->rs[r->order[i]];

		if (x->decided || x->reason != NULL || !x->injected ||
		    !(x->retry_pending ||
		        (again && x->attempt > 1 && !x->shown)))
			continue;
		for (k = 0; k < x->nsent; k++)
			if (!msg_final(&x->m[k]) &&
			    x->m[k].attempt < x->attempt) {
				msgs[nb] = msg_of(x, k + 1);
				msgs[nb++].tries = x->m[k].tries_asked;
			}
	}
	return nb;
}

/*
 * observe - inject (all at once, or --jobs at a time), flush now and
 * then, and poll the facts and the SUT status until every scenario is
 * decided, its window ended, the run is interrupted or the
 * infrastructure fails.
 */
static void
observe(struct run *r)
{
	struct sut_msg *msgs;
	struct run_scn **batch;
	long long now, last_flush, last_poll = 0, *done;
	size_t i, k, nb, next = 0, inflight = 0, ndone = 0;
	size_t jobs = r->o.jobs > 0 ? (size_t)r->o.jobs : r->n;
	long long status_every = RUN_STATUS_MS;
	char **outs, why[64];
	int *rcs, *mnum, flush_due = 0, queue_run, frc;
	double t0;
	size_t nm = 0;

	/* One entry per message: a status round asks about each. */
	for (i = 0; i < r->n; i++)
		nm += (size_t)r->rs[i].nmsgs;
	msgs = xcalloc(nm, sizeof(*msgs));
	batch = xcalloc(nm, sizeof(*batch));
	rcs = xcalloc(nm, sizeof(*rcs));
	outs = xcalloc(nm, sizeof(*outs));
	done = xcalloc(nm, sizeof(*done));
	mnum = xcalloc(nm, sizeof(*mnum));
	one_attempt(r);
	last_flush = proc_now_ms();
	for (i = 0; i < r->n; i++)
		ndone += r->rs[i].excluded; /* judged error, never sent */
	while (ndone < r->n && proc_interrupts == 0) {
		/* Inject while there is room, all of them at once. */
		for (nb = 0; next < r->n && inflight + nb < jobs;) {
			if (r->rs[r->order[next]].excluded) {
				next++;
				continue;
			}
			batch[nb] = &r->rs[r->order[next++]];
			msgs[nb] = msg_of(batch[nb], 1);
			nb++;
		}
		if (nb > 0) {
			t0 = wall_now();
			/* One SMTP session for the batch when the profile
			 * can take one (no process per message). */
			if (sut_has(r->sut, SUT_STEP_INJECT_SMTP))
				sut_inject_smtp(
				    r->sut, msgs, nb, RUN_SHORT_MS, rcs, done);
			else
				sut_run_batch(r->sut, SUT_STEP_INJECT, msgs, nb,
				    RUN_SHORT_MS, rcs, NULL, done);
			r->t_inject += wall_now() - t0;
			now = proc_now_ms();
			t0 = wall_now();
			for (k = 0; k < nb; k++) {
				struct run_scn *x = batch[k];

				/*
				 * An attempt's age counts from its own inject
				 * step, not from the end of a large batch (the
				 * window still counts from the batch's end).
				 */
				if (done[k] == 0)
					done[k] = now;
				x->injected = 1;
				x->deadline_ms = now + x->window * 1000;
				x->attempt = 1;
				x->att[0].started = t0 - (now - done[k]) / 1e3;
				x->nsent = 1;
				x->m[0].injected = 1;
				x->m[0].injected_at = x->att[0].started;
				x->m[0].attempt = 1;
				if (rcs[k] != 0) {
					snprintf(why, sizeof(why),
					    "the SUT's inject step failed "
					    "(exit %d)",
					    rcs[k]);
					give_up(r, x, why, &ndone);
					continue;
				}
				inflight++;
				log_info("injected %s", x->s->id);
			}
		}
		if (proc_interrupts != 0 || infra_alive(r) < 0)
			break;
		now = proc_now_ms();
		if (now - last_poll < RUN_POLL_MS) {
			proc_sleep_ms((int)(RUN_POLL_MS - (now - last_poll)));
			continue;
		}
		last_poll = now;

		/* What the fake servers saw may decide it already... */
		decide_pass(r, next, &ndone, &inflight, &flush_due);

		/*
		 * ... else ask the SUT about every open scenario due (of a
		 * scenario of several messages, those not yet final). Before
		 * a flush of the SUT's own (a queue run "now and then"),
		 * every open one: a deferral it has not told yet opens its
		 * next attempt (and phase) first, rather than being retried
		 * by that queue run in the old world and making the attempt
		 * last one more try.
		 */
		now = proc_now_ms();
		queue_run = inflight > 0 && !flush_due &&
		            now - last_flush >= RUN_FLUSH_MS;
		for (nb = 0, i = 0; i < next; i++) {
			struct run_scn *x = &r->rs[r->order[i]];

			if (x->decided || x->reason != NULL ||
			    (now - x->status_ms < status_every && !queue_run))
				continue;
			for (k = 0; k < (size_t)x->nsent; k++) {
				if (x->nmsgs > 1 && msg_final(&x->m[k]))
					continue;
				batch[nb] = x;
				mnum[nb] = (int)k;
				msgs[nb++] = msg_of(x, (int)k + 1);
			}
		}
		if (nb > 0 && sut_has(r->sut, SUT_STEP_STATUS)) {
			t0 = wall_now();
			status_round(r->sut, msgs, nb, rcs, outs);
			r->t_status += wall_now() - t0;
			r->n_status++;
			/*
			 * On a busy machine a round of status steps can take
			 * seconds; asking again at once would only take CPU
			 * from the SUT. Wait at least twice as long as the
			 * round took.
			 */
			status_every = 2 * (proc_now_ms() - now);
			if (status_every < RUN_STATUS_MS)
				status_every = RUN_STATUS_MS;
			t0 = wall_now();
			for (k = 0; k < nb; k++) {
				struct run_msg *m = &batch[k]->m[mnum[k]];

				batch[k]->status_ms = now;
				if (rcs[k] == 0 && outs[k] != NULL) {
					batch[k]->status_at = t0;
					set_status(m, outs[k]);
				}
				free(outs[k]);
				outs[k] = NULL;
			}
			if (proc_interrupts != 0)
				break;
			decide_pass(r, next, &ndone, &inflight, &flush_due);
		}
		/*
		 * A retry is due at once; else now and then, again, for a
		 * retry that has not shown itself.
		 */
		now = proc_now_ms();
		if (inflight > 0 &&
		    (flush_due || now - last_flush >= RUN_FLUSH_MS) &&
		    sut_has(r->sut, SUT_STEP_FLUSH) && proc_interrupts == 0) {
			nb = flush_list(
			    r, next, now - last_flush >= RUN_FLUSH_MS, msgs);
			last_flush = now;
			flush_due = 0;
			if (nb > 0) {
				t0 = wall_now();
				frc = sut_flush(r->sut, msgs, nb, RUN_SHORT_MS);
				r->t_flush += wall_now() - t0;
				flush_done(r, frc, &ndone, &inflight);
			}
		}
	}
	free(msgs);
	free(batch);
	free(rcs);
	free(outs);
	free(done);
	free(mnum);
	facts_tail_free(r->tail);
	r->tail = NULL;
	phase_time(r, "observation");
	log_info("time: of it inject steps %.2f s, status steps %.2f s (%u "
	         "rounds), flush steps %.2f s, log readings %.2f s (%u)",
	    r->t_inject, r->t_status, r->n_status, r->t_flush, r->t_facts,
	    r->n_facts);
}

/*
 * final_status - ask the SUT once more about every message it was given,
 * so run.json keeps its last word even for scenarios decided from the
 * fake servers' logs alone. A message whose last attempt the SUT already
 * called delivered or bounced is not asked again: that word is final
 * (a deferral or no word yet may still change).
 */
static void
final_status(struct run *r)
{
	struct sut_msg *msgs;
	struct run_msg **which;
	char **outs;
	int *rcs, k;
	size_t i, nb = 0, nm = 1;

	if (r->sut == NULL || !r->sut_ready || proc_interrupts > 0 ||
	    !sut_has(r->sut, SUT_STEP_STATUS))
		return;
	for (i = 0; i < r->n; i++)
		nm += (size_t)r->rs[i].nmsgs;
	msgs = xcalloc(nm, sizeof(*msgs));
	which = xcalloc(nm, sizeof(*which));
	outs = xcalloc(nm, sizeof(*outs));
	rcs = xcalloc(nm, sizeof(*rcs));
	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->rs[i].nsent; k++)
			if (r->rs[i].m[k].injected &&
			    !msg_final(&r->rs[i].m[k])) {
				which[nb] = &r->rs[i].m[k];
				msgs[nb++] = msg_of(&r->rs[i], k + 1);
			}
	status_round(r->sut, msgs, nb, rcs, outs);
	for (i = 0; i < nb; i++) {
		if (rcs[i] == 0 && outs[i] != NULL &&
		    sut_status_parse(outs[i]) != SCN_SUT_UNKNOWN) {
			which[i]->status = sut_status_parse(outs[i]);
			free(which[i]->sut_text);
			which[i]->sut_text = sut_status_text(outs[i]);
		}
		free(outs[i]);
	}
	free(msgs);
	free(which);
	free(outs);
	free(rcs);
}

/* mark_undecided - give every open scenario a reason (end of run). */
static void
mark_undecided(struct run *r)
{
	const char *why;
	size_t i;

	if (r->infra_failed)
		why = r->infra_reason;
	else if (proc_interrupts > 0)
		why = "run interrupted";
	else if (r->setup_failed)
		why = "setup error: the SUT's check failed";
	else
		why = "the run ended first";
	for (i = 0; i < r->n; i++) {
		struct run_scn *x = &r->rs[i];

		if (x->decided || x->reason != NULL)
			continue;
		/* Open when our infrastructure failed: not judged, error. */
		x->error = r->infra_failed;
		if (x->injected)
			x->reason = xstrdup(why);
		else if (r->infra_failed)
			x->reason = xasprintf("never sent to the SUT: %s", why);
		else
			x->reason = xstrdup("never sent to the SUT");
	}
}

/* capture_stats_json - run.json's capture.stats, null when unknown. */
static json_t *
capture_stats_json(const struct capture_stats *st)
{
	if (!st->known)
		return json_null();
	return json_pack("{s:I,s:I,s:I,s:I}", "packets",
	    (json_int_t)st->written, "ps_recv", (json_int_t)st->ps_recv,
	    "ps_drop", (json_int_t)st->ps_drop, "ps_ifdrop",
	    (json_int_t)st->ps_ifdrop);
}

/* messages_json - x's messages for run.json (docs/internals.md). */
static json_t *
messages_json(const struct run_scn *x)
{
	json_t *a = json_array(), *o;
	int k;

	for (k = 0; k < x->nmsgs; k++) {
		const struct run_msg *m = &x->m[k];

		o = json_object();
		json_object_set_new(o, "n", json_integer(k + 1));
		json_object_set_new(
		    o, "message_id", json_string(m->message_id));
		json_object_set_new(o, "injected_at",
		    m->injected ? json_real(m->injected_at) : json_null());
		json_object_set_new(o, "attempt",
		    m->injected ? json_integer(m->attempt) : json_null());
		json_object_set_new(o, "attempts",
		    m->injected
		        ? json_integer(
		              (m->last ? m->last : x->attempt) - m->attempt + 1)
		        : json_null());
		json_object_set_new(
		    o, "sut_status", json_string(scn_sut_str(m->status)));
		json_object_set_new(o, "sut_attempts",
		    m->sut_attempts > 0 ? json_integer(m->sut_attempts)
		                        : json_null());
		json_array_append_new(a, o);
	}
	return a;
}

/* attempts_json - x's attempts for run.json (docs/internals.md). */
static json_t *
attempts_json(const struct run_scn *x)
{
	json_t *a = json_array(), *o;
	int k;

	for (k = 0; k < x->attempt; k++) {
		o = json_object();
		json_object_set_new(o, "n", json_integer(k + 1));
		json_object_set_new(o, "started", json_real(x->att[k].started));
		json_object_set_new(o, "ended",
		    x->att[k].ended > 0 ? json_real(x->att[k].ended)
		                        : json_null());
		json_object_set_new(o, "sut_status",
		    json_string(
		        scn_sut_str(x->att[k].ended > 0 ? x->att[k].status
		                                        : att_status(x))));
		json_array_append_new(a, o);
	}
	return a;
}

/* write_run_json - RUN/run.json (docs/internals.md); 0 or -1 (logged). */
static int
write_run_json(struct run *r)
{
	json_t *root, *sut, *opts, *cap, *scns, *o;
	char *path, *tmp;
	size_t i;
	int rc;

	root = json_object();
	json_object_set_new(root, "version", json_integer(1));
	sut = json_object();
	json_object_set_new(sut, "name", json_string(r->prof->name));
	/* json_string refuses text that is not UTF-8: then null. */
	o = r->sut_version != NULL ? json_string(r->sut_version) : NULL;
	json_object_set_new(sut, "version", o != NULL ? o : json_null());
	opts = json_array();
	for (i = 0; i < r->o.nsut_opts; i++) {
		o = json_string(r->o.sut_opts[i]);
		json_array_append_new(opts, o != NULL ? o : json_null());
	}
	json_object_set_new(sut, "options", opts);
	json_object_set_new(root, "sut", sut);
	if (r->provenance != NULL)
		json_object_set(root, "provenance", r->provenance);
	json_object_set_new(root, "started", json_real(r->started));
	json_object_set_new(root, "finished", json_real(r->finished));
	json_object_set_new(
	    root, "interrupted", json_boolean(proc_interrupts > 0));
	cap = json_object();
	json_object_set_new(cap, "ok", json_boolean(r->cap_ok));
	json_object_set_new(
	    cap, "file", r->cap_ok ? json_string("capture.pcap") : json_null());
	o = r->cap_note[0] ? json_string(r->cap_note) : NULL;
	json_object_set_new(cap, "note", o != NULL ? o : json_null());
	json_object_set_new(cap, "stats", capture_stats_json(&r->cap_stats));
	json_object_set_new(root, "capture", cap);
	json_object_set_new(root, "window", json_integer(r->o.window));
	json_object_set_new(root, "attempts", json_integer(r->o.attempts));
	if (r->infra_failed)
		json_object_set_new(
		    root, "error", json_string(r->infra_reason));
	else
		for (i = 0; i < r->n; i++)
			if (r->rs[i].excluded) {
				json_object_set_new(root, "error",
				    json_string(r->rs[i].reason));
				break;
			}
	o = r->sut_note[0] ? json_string(r->sut_note) : NULL;
	json_object_set_new(root, "sut_note", o != NULL ? o : json_null());
	o = r->attempts_note[0] ? json_string(r->attempts_note) : NULL;
	json_object_set_new(root, "attempts_note", o != NULL ? o : json_null());
	scns = json_array();
	for (i = 0; i < r->n; i++) {
		struct run_scn *x = &r->rs[i];

		o = json_object();
		json_object_set_new(o, "id", json_string(x->s->id));
		json_object_set_new(
		    o, "message_id", json_string(x->m[0].message_id));
		json_object_set_new(
		    o, "sut_status", json_string(scn_sut_str(x->m[0].status)));
		json_object_set_new(o, "decided", json_boolean(x->decided));
		json_object_set_new(o, "error", json_boolean(x->error));
		json_object_set_new(o, "reason",
		    x->reason != NULL ? json_string(x->reason) : json_null());
		json_object_set_new(o, "window", json_integer(x->window));
		json_object_set_new(o, "attempts", attempts_json(x));
		json_object_set_new(o, "sut_attempts",
		    x->m[0].sut_attempts > 0
		        ? json_integer(x->m[0].sut_attempts)
		        : json_null());
		json_object_set_new(o, "messages", messages_json(x));
		json_array_append_new(scns, o);
	}
	json_object_set_new(root, "scenarios", scns);
	path = xasprintf("%s/run.json", r->run_dir);
	tmp = xasprintf("%s/run.json.tmp", r->run_dir);
	rc = json_dump_file(root, tmp, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0)
		log_err("%s: write", path);
	json_decref(root);
	free(path);
	free(tmp);
	return rc;
}

/*
 * teardown - stop the SUT, the fake servers, Unbound and the capture,
 * then remove the namespace with anything left inside. A second
 * interrupt skips the SUT's graceful stop. Never fails: what cannot be
 * removed is logged.
 */
static void
teardown(struct run *r)
{
	double t[4];
	int fast;

	if (r->torn)
		return;
	r->torn = 1;
	if (r->sut != NULL && r->sut_started) {
		fast = proc_interrupts > 1;
		if (!fast && sut_has(r->sut, SUT_STEP_STOP)) {
			double t0 = wall_now();

			sut_run_step(
			    r->sut, SUT_STEP_STOP, NULL, RUN_STEP_MS, NULL);
			log_info("time: SUT stop step %.2f s", wall_now() - t0);
		}
	}
	fast = proc_interrupts > 1;
	t[0] = wall_now();
	if (r->fakemx != NULL)
		proc_stop(r->fakemx, fast ? 100 : 3000);
	t[1] = wall_now();
	if (r->fakedns != NULL)
		proc_stop(r->fakedns, fast ? 100 : 3000);
	if (r->unbound != NULL)
		proc_stop(r->unbound, fast ? 100 : 3000);
	t[2] = wall_now();
	if (r->cap != NULL) {
		if (capture_stop_stats(r->cap, &r->cap_stats) < 0 &&
		    r->cap_note[0] == '\0')
			snprintf(r->cap_note, sizeof(r->cap_note),
			    "the capture did not end cleanly");
		r->cap = NULL;
	}
	t[3] = wall_now();
	if (r->netns_made) {
		if (netns_destroy(r->netns, fast ? 200 : 2000) < 0)
			log_warnx("could not remove everything of namespace "
			          "%s; the next run removes it",
			    r->netns);
		r->netns_made = 0;
	}
	log_info("time: of the teardown fakemx %.2f s, fakedns and resolver "
	         "%.2f s, capture %.2f s, namespace %.2f s",
	    t[1] - t[0], t[2] - t[1], t[3] - t[2], wall_now() - t[3]);
}

/*
 * final_check - the SUT's check step again after the observation. What
 * it finds then (a Postfix "fatal:" a hostile scenario provoked, a SUT
 * that stopped running) is an observation about the SUT, not a setup
 * error: it goes into run.json and the reports, every scenario is still
 * judged, and the undecided ones say so in their reason. Only exit
 * status 2 says the setup was unsound all along (Postfix found DNSSEC
 * validation unavailable): then nothing is judged.
 */
static void
final_check(struct run *r)
{
	struct buf out;
	char *said;
	size_t i;
	int rc;

	if (r->sut == NULL || !r->sut_ready || proc_interrupts > 0 ||
	    !sut_has(r->sut, SUT_STEP_CHECK))
		return;
	buf_init(&out);
	rc = sut_run_step(r->sut, SUT_STEP_CHECK, NULL, RUN_SHORT_MS, &out);
	if (rc == RUN_CHECK_UNSOUND && proc_interrupts == 0) {
		/* The setup was unsound all along: nothing can be judged. */
		fprintf(stderr,
		    "danesim run: SUT check step failed (exit %d):\n%s", rc,
		    buf_cstr(&out));
		r->setup_failed = 1;
	} else if (rc != 0 && proc_interrupts == 0) {
		said = oneline(buf_cstr(&out), 500);
		snprintf(r->sut_note, sizeof(r->sut_note),
		    "the SUT's check step failed after the observation (exit "
		    "%d)%s%s",
		    rc, said[0] ? ": " : "", said);
		free(said);
		for (i = 0; i < r->n; i++) {
			struct run_scn *x = &r->rs[i];

			if (x->decided || x->reason == NULL || !x->injected)
				continue;
			said = x->reason;
			x->reason = xasprintf("%s; afterwards %s", said,
			    "the SUT's check step failed (see sut_note)");
			free(said);
		}
	}
	buf_free(&out);
}

static void
run_free(struct run *r)
{
	size_t i;
	int k;

	for (i = 0; i < r->n; i++) {
		free(r->rs[i].recipient);
		for (k = 0; k < SCN_MESSAGES_MAX; k++) {
			free(r->rs[i].m[k].message_id);
			free(r->rs[i].m[k].file);
			free(r->rs[i].m[k].sut_text);
		}
		free(r->rs[i].reason);
	}
	free(r->rs);
	free(r->order);
	proc_free(r->fakedns);
	proc_free(r->fakemx);
	proc_free(r->unbound);
	sut_free(r->sut);
	sut_profile_free(r->prof);
	free(r->sut_version);
	facts_tail_free(r->tail);
	world_free(r->w);
	scn_suite_free(&r->suite);
	free(r->run_dir);
	free(r->bin_dir);
	free(r->o.sut_opts);
	free(r->o.only);
	free(r->o.profile);
	json_decref(r->provenance);
}

int
run_suite(struct run_opts *o)
{
	struct sigaction sa, old_int, old_term, old_hup;
	struct scn_errors errs = {NULL, 0};
	struct analyse_opts ao;
	struct run r;
	char err[512];
	size_t i, k;
	int rc = RUN_EXIT_SETUP, signals_set = 0;
	time_t now;

	memset(&r, 0, sizeof(r));
	r.o = *o;
	if (geteuid() != 0) {
		fprintf(stderr, "danesim run: needs root (it creates a network "
		                "namespace, writes /etc/netns and runs the SUT "
		                "under its own users)\n");
		goto out;
	}
	r.prof = sut_profile_load(r.o.sut, err, sizeof(err));
	if (r.prof == NULL) {
		fprintf(stderr, "danesim run: %s\n", err);
		goto out;
	}
	if (load_suite(&r) < 0)
		goto out;
	r.bin_dir = share_helper_dir();
	if (check_tools() < 0 || check_helpers(r.bin_dir) < 0)
		goto out;

	proc_interrupts = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	signal(SIGPIPE, SIG_IGN);
	signals_set = 1;
	if (validate_opts(&r) < 0)
		goto out;

	r.t_phase = wall_now();
	netns_reap_stale();
	r.provenance = provenance_collect();
	now = time(NULL);
	r.started = wall_now();
	if (make_run_dir(&r, now) < 0 || keep_inputs(&r) < 0)
		goto out;
	phase_time(&r, "run folder and provenance");
	if (!r.o.quiet)
		printf("danesim run: %zu scenarios against %s, run folder %s\n",
		    r.suite.n, r.prof->name, r.run_dir);
	fflush(stdout);
	r.w = world_build(&r.suite, r.run_dir, now, &errs);
	if (r.w == NULL) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.msg[i]);
		scn_errors_free(&errs);
		goto out;
	}
	scn_errors_free(&errs);
	phase_time(&r, "world build");
	/* run.json names every scenario, even when none was sent. */
	if (prepare_messages(&r) < 0)
		goto teardown;
	r.msgs_ok = 1;
	if (proc_interrupts > 0 || start_infra(&r) < 0)
		goto teardown;
	phase_time(&r, "namespace, fakes, capture, resolver");
	if (proc_interrupts > 0 || start_sut(&r) < 0)
		goto teardown;
	phase_time(&r, "SUT start");
	observe(&r);
	final_status(&r);
	final_check(&r);
	phase_time(&r, "final status and check");
teardown:
	mark_undecided(&r);
	teardown(&r);
	phase_time(&r, "teardown");
	r.finished = wall_now();
	if (r.w == NULL || !r.msgs_ok)
		goto out;
	write_run_json(&r);
	if (r.setup_failed) {
		fprintf(stderr,
		    "danesim run: setup error: the SUT's check "
		    "step failed (see %s/sut-steps.log); nothing "
		    "judged\n",
		    r.run_dir);
		goto out;
	}
	/*
	 * A setup error (no namespace, a resolver that does not validate,
	 * a SUT that did not start) judges nothing; our infrastructure
	 * failing, at start-up or later, is judged: what was decided keeps
	 * its verdict and the rest is error.
	 */
	if (!r.sut_ready && !r.infra_failed && proc_interrupts == 0)
		goto out;
	if (proc_interrupts > 1) {
		fprintf(stderr, "danesim run: aborted; not judged\n");
		rc = RUN_EXIT_INCONCLUSIVE;
		goto out;
	}
	memset(&ao, 0, sizeof(ao));
	ao.quiet = r.o.quiet;
	ao.expect = r.o.expect;
	phase_time(&r, "run.json");
	if (analyse_run_dir(r.run_dir, &ao, &rc) < 0 || rc == RUN_EXIT_SETUP) {
		rc = RUN_EXIT_SETUP;
		goto out;
	}
	phase_time(&r, "analysis and reports");
	/* Never hide a judged failure behind the interruption or error. */
	if ((r.infra_failed || proc_interrupts > 0) && rc == RUN_EXIT_PASS)
		rc = RUN_EXIT_INCONCLUSIVE;
	if (r.infra_failed) {
		for (i = 0, k = 0; i < r.n; i++)
			k += r.rs[i].error;
		fprintf(stderr,
		    "danesim run: %s; %zu of %zu scenarios not judged "
		    "(error), the others judged; exit %d\n",
		    r.infra_reason, k, r.n, rc);
	}
	if (r.sut_note[0] != '\0')
		fprintf(stderr, "danesim run: observation about the SUT: %s\n",
		    r.sut_note);
	if (!r.o.quiet)
		printf("danesim run: reports in %s\n", r.run_dir);
out:
	teardown(&r);
	/* Tamper evidence last, over everything the run left. */
	if (r.run_dir != NULL && access(r.run_dir, F_OK) == 0 &&
	    (verify_write_sums(r.run_dir) < 0 ||
	        (r.o.sign != NULL && verify_sign(r.run_dir, r.o.sign) < 0)) &&
	    rc != RUN_EXIT_FAIL)
		rc = RUN_EXIT_SETUP;
	phase_time(&r, "SHA256SUMS");
	if (signals_set) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
	}
	run_free(&r);
	return rc;
}
