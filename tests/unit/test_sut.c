/*
 * test_sut.c - SUT profiles (parsing, lookup, steps with their
 * environment) and the child-process helpers they run on (proc.c).
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "proc.h"
#include "harness/run/sut.h"
#include "xmalloc.h"

/* test_parse_ok - keys, comments, blanks, empty values, '=' in values. */
static void
test_parse_ok(void)
{
	const char *text = "# a profile\n"
	                   "\n"
	                   "description = a test SUT\n"
	                   "  inject = printf '%s' \"a=b\" | cat  \n"
	                   "status=echo delivered\n"
	                   "flush =\n";
	struct sut_profile *p;
	char err[256] = "";

	p = sut_profile_parse("/x/y/demo.conf", text, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "demo");
	CU_ASSERT_STRING_EQUAL(p->dir, "/x/y/demo");
	CU_ASSERT_STRING_EQUAL(p->description, "a test SUT");
	CU_ASSERT_STRING_EQUAL(
	    p->steps[SUT_STEP_INJECT], "printf '%s' \"a=b\" | cat");
	CU_ASSERT_STRING_EQUAL(p->steps[SUT_STEP_STATUS], "echo delivered");
	CU_ASSERT_PTR_NULL(p->steps[SUT_STEP_FLUSH]);
	CU_ASSERT_PTR_NULL(p->steps[SUT_STEP_START]);
	sut_profile_free(p);
}

/* test_parse_errors - each mistake is refused with file:line. */
static void
test_parse_errors(void)
{
	static const struct {
		const char *text;
		const char *want;
	} cases[] = {
	    {"inject = x\nfrobnicate = y\n", "p.conf:2: unknown key"},
	    {"inject = x\ninject = y\n", "p.conf:2: 'inject' given twice"},
	    {"start = x\n", "gives no 'inject'"},
	    {"inject =\n", "gives no 'inject'"},
	    {"inject x\n", "p.conf:1: expected 'key = value'"},
	    {"description = a\ndescription = b\ninject = x\n",
	        "p.conf:2: 'description' given twice"},
	    {"inject = x\nopt-steps = flush sleep\n",
	        "p.conf:2: opt-steps: 'sleep' is not a step"},
	    {"inject = x\nopt-steps = inject\n",
	        "p.conf:2: opt-steps: 'inject' is not a step"},
	};
	struct sut_profile *p;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		p = sut_profile_parse(
		    "p.conf", cases[i].text, err, sizeof(err));
		CU_ASSERT_PTR_NULL(p);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].want));
		sut_profile_free(p);
	}
}

/* test_status_parse - only the five words count, first word only. */
static void
test_status_parse(void)
{
	char big[SUT_STATUS_TEXT_MAX + 100], *txt;

	CU_ASSERT_EQUAL(sut_status_parse("delivered\n"), SCN_SUT_DELIVERED);
	CU_ASSERT_EQUAL(sut_status_parse("  deferred 75"), SCN_SUT_DEFERRED);
	CU_ASSERT_EQUAL(sut_status_parse("bounced"), SCN_SUT_BOUNCED);
	CU_ASSERT_EQUAL(sut_status_parse("deliveredx"), SCN_SUT_UNKNOWN);
	CU_ASSERT_EQUAL(sut_status_parse("deliver"), SCN_SUT_UNKNOWN);
	CU_ASSERT_EQUAL(sut_status_parse("frozen 1 why\n"), SCN_SUT_FROZEN);
	CU_ASSERT_EQUAL(sut_status_parse("frozenx"), SCN_SUT_UNKNOWN);
	/* what follows the word and count: why (a frozen message) */
	CU_ASSERT_EQUAL(sut_status_attempts("frozen 1 its process died"), 1);
	txt = sut_status_text("frozen 1 its process died (mainlog) \nx");
	CU_ASSERT_STRING_EQUAL(txt, "its process died (mainlog)");
	free(txt);
	txt = sut_status_text("frozen Frozen by the ACL");
	CU_ASSERT_STRING_EQUAL(txt, "Frozen by the ACL");
	free(txt);
	txt = sut_status_text("frozen 2x later");
	CU_ASSERT_STRING_EQUAL(txt, "2x later");
	free(txt);
	CU_ASSERT_PTR_NULL(sut_status_text("deferred 2\n"));
	CU_ASSERT_PTR_NULL(sut_status_text("frozen"));
	CU_ASSERT_PTR_NULL(sut_status_text(NULL));
	memset(big, 'a', sizeof(big) - 1);
	big[0] = 'f';
	big[1] = ' ';
	big[sizeof(big) - 1] = '\0';
	txt = sut_status_text(big);
	CU_ASSERT_EQUAL(strlen(txt), SUT_STATUS_TEXT_MAX);
	free(txt);
	/* The optional count of delivery attempts (--attempts). */
	CU_ASSERT_EQUAL(sut_status_attempts("deferred 2\n"), 2);
	CU_ASSERT_EQUAL(sut_status_attempts("  delivered\t13"), 13);
	CU_ASSERT_EQUAL(sut_status_attempts("deferred"), 0);
	CU_ASSERT_EQUAL(sut_status_attempts("deferred 0"), 0);
	CU_ASSERT_EQUAL(sut_status_attempts("deferred 2x"), 0);
	CU_ASSERT_EQUAL(sut_status_attempts("deferred -1"), 0);
	CU_ASSERT_EQUAL(
	    sut_status_attempts("deferred 99999999999999999999"), 0);
	CU_ASSERT_EQUAL(sut_status_attempts(NULL), 0);
	CU_ASSERT_EQUAL(sut_status_parse(""), SCN_SUT_UNKNOWN);
	CU_ASSERT_EQUAL(sut_status_parse(NULL), SCN_SUT_UNKNOWN);
	CU_ASSERT_STRING_EQUAL(scn_sut_str(SCN_SUT_DEFERRED), "deferred");
	CU_ASSERT_STRING_EQUAL(sut_step_str(SUT_STEP_CHECK), "check");
	CU_ASSERT_STRING_EQUAL(sut_step_str(SUT_STEP_VALIDATE), "validate");
}

/* test_shipped - every shipped profile (harness/sut/NAME.conf) loads by
 * name, gives inject and says what it is; bad names are refused. */
static void
test_shipped(void)
{
	struct sut_profile *p;
	struct dirent *de;
	char err[512], *path, *old, *name;
	const char *top = getenv("DANESIM_SRCDIR");
	size_t n, seen = 0;
	DIR *d;

	old = getenv("DANESIM_SUT_PATH") ? xstrdup(getenv("DANESIM_SUT_PATH"))
	                                 : NULL;
	path = xasprintf("%s/harness/sut", top ? top : ".");
	setenv("DANESIM_SUT_PATH", path, 1);
	d = opendir(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n <= 5 || strcmp(de->d_name + n - 5, ".conf") != 0)
			continue;
		name = xstrndup(de->d_name, n - 5);
		p = sut_profile_load(name, err, sizeof(err));
		CU_ASSERT_PTR_NOT_NULL(p);
		if (p != NULL) {
			seen++;
			CU_ASSERT_STRING_EQUAL(p->name, name);
			CU_ASSERT_PTR_NOT_NULL(p->steps[SUT_STEP_INJECT]);
			CU_ASSERT_PTR_NOT_NULL(p->description);
			/* every shipped profile checks its --sut-opt */
			CU_ASSERT_PTR_NOT_NULL(p->steps[SUT_STEP_VALIDATE]);
			sut_profile_free(p);
		} else
			fprintf(stderr, "%s\n", err);
		free(name);
	}
	closedir(d);
	CU_ASSERT(seen >= 3); /* postfix, refsut, command at least */
	p = sut_profile_load("../etc/passwd", err, sizeof(err));
	CU_ASSERT_PTR_NULL(p);
	p = sut_profile_load("no-such-profile", err, sizeof(err));
	CU_ASSERT_PTR_NULL(p);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no SUT profile"));
	if (old != NULL)
		setenv("DANESIM_SUT_PATH", old, 1);
	else
		unsetenv("DANESIM_SUT_PATH");
	free(old);
	free(path);
}

/* rm_tree - remove a test's temporary folder dir. */
static void
rm_tree(const char *dir)
{
	char *cmd = xasprintf("rm -rf '%s'", dir);

	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
}

/* test_step_env - a step sees the documented DANESIM_* variables. */
static void
test_step_env(void)
{
	const char *text =
	    "inject = printf '%s|%s|%s|%s|%s|%s|%s' \"$DANESIM_SCENARIO\" "
	    "\"$DANESIM_SENDER\" \"$DANESIM_RECIPIENT\" "
	    "\"$DANESIM_MESSAGE_ID\" \"$DANESIM_RESOLVER\" "
	    "\"$DANESIM_SUT_OPTS\" \"$DANESIM_MESSAGE_KEY\"\n"
	    "status = echo deferred\n"
	    "stop = exit 7\n";
	char dir[] = "/tmp/dsim-sut-XXXXXX", err[256], *sutdir;
	char *opts[] = {"a=1", "b=x y"};
	struct sut_profile *p;
	struct sut_msg m = {
	    "scn-1", "s@x.test", "r@y.test", "/dev/null", "<m@id>", 1, 0};
	struct sut *s;
	struct buf out;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	p = sut_profile_parse("t.conf", text, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	sutdir = xasprintf("%s/sut", dir);
	s = sut_new(
	    p, NULL, dir, sutdir, "/tmp", "127.0.0.1", "/ta", "/rk", opts, 2);
	buf_init(&out);
	CU_ASSERT_EQUAL(sut_run_step(s, SUT_STEP_INJECT, &m, 5000, &out), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&out),
	    "scn-1|s@x.test|r@y.test|<m@id>|127.0.0.1|a=1\nb=x y|scn-1");
	/* message 2 of the scenario: its own key */
	m.number = 2;
	buf_reset(&out);
	CU_ASSERT_EQUAL(sut_run_step(s, SUT_STEP_INJECT, &m, 5000, &out), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&out),
	    "scn-1|s@x.test|r@y.test|<m@id>|127.0.0.1|a=1\nb=x y|scn-1.2");
	m.number = 1;
	CU_ASSERT_EQUAL(sut_status(s, &m, 5000), SCN_SUT_DEFERRED);
	CU_ASSERT_EQUAL(sut_run_step(s, SUT_STEP_STOP, NULL, 5000, NULL), 7);
	/* Steps the profile does not give succeed without running. */
	CU_ASSERT_EQUAL(sut_run_step(s, SUT_STEP_FLUSH, NULL, 5000, NULL), 0);
	CU_ASSERT_FALSE(sut_has(s, SUT_STEP_FLUSH));
	buf_free(&out);
	sut_free(s);
	sut_profile_free(p);
	free(sutdir);
	rm_tree(dir);
}

/*
 * test_opt_steps - a step named by opt-steps counts as given only when
 * the run's --sut-opt gives it (the command profile's flush): without it
 * the run cannot make the SUT retry.
 */
static void
test_opt_steps(void)
{
	static const char text[] =
	    "inject = true\nflush = echo f\nstatus = echo unknown\n"
	    "opt-steps = flush  status\n";
	char *with[] = {"inject=x", "flush=postqueue -f"};
	char *without[] = {"inject=x", "flushy=1", "status=y"};
	char err[256] = "";
	struct sut_profile *p;
	struct sut *s;

	p = sut_profile_parse("o.conf", text, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_TRUE(p->by_opt[SUT_STEP_FLUSH]);
	CU_ASSERT_TRUE(p->by_opt[SUT_STEP_STATUS]);
	CU_ASSERT_FALSE(p->by_opt[SUT_STEP_INJECT]);
	s = sut_new(p, NULL, "/tmp", "/tmp", "/tmp", "127.0.0.1", "/ta", "/rk",
	    with, 2);
	CU_ASSERT_TRUE(sut_has(s, SUT_STEP_FLUSH));
	CU_ASSERT_FALSE(sut_has(s, SUT_STEP_STATUS));
	CU_ASSERT_TRUE(sut_has(s, SUT_STEP_INJECT));
	sut_free(s);
	s = sut_new(p, NULL, "/tmp", "/tmp", "/tmp", "127.0.0.1", "/ta", "/rk",
	    without, 3);
	CU_ASSERT_FALSE(sut_has(s, SUT_STEP_FLUSH));
	CU_ASSERT_TRUE(sut_has(s, SUT_STEP_STATUS));
	/* not given: succeeds without running */
	CU_ASSERT_EQUAL(sut_run_step(s, SUT_STEP_FLUSH, NULL, 5000, NULL), 0);
	sut_free(s);
	sut_profile_free(p);
}

/* test_validate - the validate step runs here, before any run folder,
 * with the options, the profile and binary folders; its exit status and
 * output come back; a profile without it accepts everything. */
static void
test_validate(void)
{
	const char *text =
	    "validate = printf '%s|%s|%s|%s' \"$DANESIM_SUT_OPTS\" "
	    "\"$DANESIM_SUT\" \"$DANESIM_PROFILE_DIR\" \"$DANESIM_BIN\"; "
	    "case \"$DANESIM_SUT_OPTS\" in *bad*) exit 2;; esac\n"
	    "inject = true\n";
	char *good[] = {"a=1", "b=x y"}, *bad[] = {"a=1", "bad=2"};
	char err[256];
	struct sut_profile *p;
	struct buf out;

	p = sut_profile_parse("/tmp/v.conf", text, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	buf_init(&out);
	CU_ASSERT_EQUAL(sut_validate(p, "/tmp", good, 2, 5000, &out), 0);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&out), "a=1\nb=x y|v|/tmp/v|/tmp");
	buf_reset(&out);
	CU_ASSERT_EQUAL(sut_validate(p, "/tmp", bad, 2, 5000, &out), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&out), "bad=2"));
	sut_profile_free(p);
	p = sut_profile_parse(
	    "/tmp/n.conf", "inject = true\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	buf_reset(&out);
	CU_ASSERT_EQUAL(sut_validate(p, "/tmp", bad, 2, 5000, &out), 0);
	CU_ASSERT_EQUAL(out.len, 0);
	sut_profile_free(p);
	buf_free(&out);
}

/* test_proc_run - exit codes, output, time-outs, missing programs. */
static void
test_proc_run(void)
{
	char *ok[] = {"sh", "-c", "echo hello; echo err >&2; exit 3", NULL};
	char *sig[] = {"sh", "-c", "kill -TERM $$", NULL};
	char *slow[] = {"sh", "-c", "sleep 5 & sleep 5", NULL};
	char *bg[] = {
	    "sh", "-c", "(sleep 3 >/dev/null 2>&1 &) ; echo bg", NULL};
	char *none[] = {"/nonexistent/prog", NULL};
	char *chatty[] = {"sh", "-c",
	    "(while :; do echo noise; sleep 0.01; done) & echo started; "
	    "echo $! >/tmp/dsim-unit-chatty.pid",
	    NULL};
	FILE *pf;
	int cpid = 0;
	struct buf out;
	long long t0;

	buf_init(&out);
	CU_ASSERT_EQUAL(proc_run("t", NULL, ok, NULL, 5000, &out), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&out), "hello\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&out), "err\n"));
	CU_ASSERT_EQUAL(proc_run("t", NULL, sig, NULL, 5000, NULL), 128 + 15);
	t0 = proc_now_ms();
	CU_ASSERT_EQUAL(proc_run("t", NULL, slow, NULL, 300, NULL), -1);
	CU_ASSERT(proc_now_ms() - t0 < 2000);
	/* A step that leaves a daemon behind returns when it exits. */
	buf_reset(&out);
	t0 = proc_now_ms();
	CU_ASSERT_EQUAL(proc_run("t", NULL, bg, NULL, 5000, &out), 0);
	CU_ASSERT(proc_now_ms() - t0 < 2000);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&out), "bg\n");
	CU_ASSERT_EQUAL(proc_run("t", NULL, none, NULL, 5000, NULL), 127);
	/* A daemon left behind that keeps writing to the step's output does
	 * not hold the step. */
	buf_reset(&out);
	t0 = proc_now_ms();
	CU_ASSERT_EQUAL(proc_run("t", NULL, chatty, NULL, 5000, &out), 0);
	CU_ASSERT(proc_now_ms() - t0 < 2000);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf_cstr(&out), "started"));
	pf = fopen("/tmp/dsim-unit-chatty.pid", "r");
	if (pf != NULL) {
		if (fscanf(pf, "%d", &cpid) == 1 && cpid > 1)
			kill(cpid, SIGKILL);
		fclose(pf);
		unlink("/tmp/dsim-unit-chatty.pid");
	}
	buf_free(&out);
}

/* test_proc_spawn_stop - stop reaches the whole process group. */
static void
test_proc_spawn_stop(void)
{
	char *argv[] = {"sh", "-c", "sleep 30 & sleep 30 & wait", NULL};
	char *trap[] = {"sh", "-c", "trap '' TERM; sleep 30", NULL};
	struct proc *p;
	long long t0;

	p = proc_spawn("group", NULL, argv, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	usleep(100000);
	CU_ASSERT_EQUAL(proc_poll(p), 1);
	proc_stop(p, 2000);
	CU_ASSERT_EQUAL(proc_poll(p), 0);
	/* No member of the group is left. */
	CU_ASSERT_FALSE(proc_group_alive(p->pid));
	proc_free(p);

	/* A child ignoring SIGTERM is killed after the grace time. */
	p = proc_spawn("stubborn", NULL, trap, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	usleep(100000);
	t0 = proc_now_ms();
	proc_stop(p, 300);
	CU_ASSERT(proc_now_ms() - t0 < 3000);
	CU_ASSERT_EQUAL(proc_poll(p), 0);
	CU_ASSERT_FALSE(proc_group_alive(p->pid));
	proc_free(p);
}

/* count_usr1 - stands in for the run's SIGINT handler. */
static void
count_usr1(int sig)
{
	(void)sig;
	proc_interrupts++;
}

/* test_proc_interrupt - an interrupt during a step cuts it short. */
static void
test_proc_interrupt(void)
{
	char *argv[] = {"sh", "-c", "kill -USR1 $PPID; sleep 5", NULL};
	struct sigaction sa, old;
	long long t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count_usr1;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, &old);
	proc_interrupts = 0;
	t0 = proc_now_ms();
	CU_ASSERT_EQUAL(proc_run("t", NULL, argv, NULL, 10000, NULL), -1);
	CU_ASSERT(proc_now_ms() - t0 < 3000);
	CU_ASSERT_EQUAL(proc_interrupts, 1);
	/* proc_sleep_ms returns early the same way. */
	t0 = proc_now_ms();
	kill(getpid(), SIGUSR1);
	proc_sleep_ms(50);
	CU_ASSERT(proc_now_ms() - t0 < 1000);
	sigaction(SIGUSR1, &old, NULL);
	proc_interrupts = 0;
}

/* A stand-in SMTP server on stdio for test_inject_smtp: it refuses
 * RCPT TO:<bad@y.test> and writes every DATA line to $1, "CR " or "LF "
 * before it (how the line ended), the line as sent (dots not undone). */
static const char fake_smtpd[] =
    "cr=$(printf '\\r')\n"
    "printf '220 fake ESMTP\\r\\n'\n"
    "while IFS= read -r l; do\n"
    "  l=${l%\"$cr\"}\n"
    "  case $l in\n"
    "  EHLO*) printf '250-fake\\r\\n250 PIPELINING\\r\\n' ;;\n"
    "  MAIL*) printf '250 ok\\r\\n' ;;\n"
    "  'RCPT TO:<bad@y.test>') printf '550 5.1.1 no such user\\r\\n' ;;\n"
    "  RCPT*) printf '250 ok\\r\\n' ;;\n"
    "  RSET) printf '250 reset\\r\\n' ;;\n"
    "  DATA) printf '354 go on\\r\\n'\n"
    "    while IFS= read -r d; do\n"
    "      f=LF; [ \"$d\" = \"${d%\"$cr\"}\" ] || f=CR\n"
    "      d=${d%\"$cr\"}\n"
    "      [ \"$d\" = . ] && break\n"
    "      printf '%s %s\\n' \"$f\" \"$d\" >>\"$1\"\n"
    "    done\n"
    "    printf '250 2.0.0 queued\\r\\n' ;;\n"
    "  QUIT) printf '221 bye\\r\\n'; exit 0 ;;\n"
    "  *) printf '500 what\\r\\n' ;;\n"
    "  esac\n"
    "done\n";

/* inject_smtp_with - run sut_inject_smtp over the n messages of m with
 * the inject-smtp command cmd; its return value. */
static int
inject_smtp_with(const char *dir, const char *cmd, const struct sut_msg *m,
    size_t n, int timeout_ms, int *rcs, long long *done)
{
	char err[256], *text, *sutdir;
	struct sut_profile *p;
	struct sut *s;
	int rc;

	text = xasprintf("inject = true\ninject-smtp = %s\n", cmd);
	p = sut_profile_parse("t.conf", text, err, sizeof(err));
	free(text);
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	sutdir = xasprintf("%s/sut", dir);
	s = sut_new(
	    p, NULL, dir, sutdir, "/tmp", "127.0.0.1", "/ta", "/rk", NULL, 0);
	CU_ASSERT_TRUE(sut_has(s, SUT_STEP_INJECT_SMTP));
	rc = sut_inject_smtp(s, m, n, timeout_ms, rcs, done);
	sut_free(s);
	sut_profile_free(p);
	free(sutdir);
	return rc;
}

/*
 * test_inject_smtp - one SMTP session hands over a batch: each message a
 * transaction, its content with CRLF line ends and leading dots doubled;
 * a refused recipient fails that message only; a server that closes or
 * never answers fails the batch within the time limit, nothing hangs.
 */
static void
test_inject_smtp(void)
{
	char dir[] = "/tmp/dsim-smtp-XXXXXX", *path, *cmd, *got;
	struct sut_msg m[3] = {
	    {"a", "s@x.test", "r@y.test", NULL, "<a@id>", 1, 0},
	    {"b", "s@x.test", "bad@y.test", NULL, "<b@id>", 1, 0},
	    {"c", "s@x.test", "r@y.test", NULL, "<c@id>", 2, 0},
	};
	int rcs[3];
	long long done[3], t0;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	path = xasprintf("%s/fake.sh", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(fake_smtpd, f);
	fclose(f);
	free(path);
	path = xasprintf("%s/m.eml", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("Subject: t\n\n.one dot\r\nbody\n", f);
	fclose(f);
	m[0].file = m[1].file = m[2].file = path;

	cmd = xasprintf("sh %s/fake.sh %s/data", dir, dir);
	CU_ASSERT_EQUAL(inject_smtp_with(dir, cmd, m, 3, 5000, rcs, done), -1);
	free(cmd);
	CU_ASSERT_EQUAL(rcs[0], 0);
	CU_ASSERT_EQUAL(rcs[1], 1); /* 550 to RCPT: refused, then RSET */
	CU_ASSERT_EQUAL(rcs[2], 0);
	CU_ASSERT(done[0] > 0 && done[1] >= done[0] && done[2] >= done[1]);
	free(path);
	path = xasprintf("%s/data", dir);
	got = unit_file_text(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	/* two messages taken, every line CRLF, the leading dot doubled */
	CU_ASSERT_STRING_EQUAL(got,
	    "CR Subject: t\nCR \nCR ..one dot\nCR body\n"
	    "CR Subject: t\nCR \nCR ..one dot\nCR body\n");
	free(got);
	free(path);
	/* the log names each transaction */
	path = xasprintf("%s/sut-steps.log", dir);
	got = unit_file_text(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "inject-smtp b exit 1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(got, "550 5.1.1 no such user"));
	free(got);
	free(path);

	/* a server that closes after its greeting: nothing handed over */
	CU_ASSERT_EQUAL(inject_smtp_with(
	                    dir, "printf '220 x\\r\\n'", m, 3, 5000, rcs, done),
	    -1);
	CU_ASSERT(rcs[0] == -1 && rcs[1] == -1 && rcs[2] == -1);
	/* one that never answers: given up within the time limit, killed */
	t0 = proc_now_ms();
	CU_ASSERT_EQUAL(
	    inject_smtp_with(dir, "sleep 30", m, 3, 300, rcs, done), -1);
	CU_ASSERT(proc_now_ms() - t0 < 3000);
	CU_ASSERT(rcs[0] == -1 && done[0] == 0);
	/* no such command */
	CU_ASSERT_EQUAL(inject_smtp_with(dir, "/nonexistent/smtpd -bs", m, 3,
	                    2000, rcs, done),
	    -1);
	rm_tree(dir);
}

/*
 * test_status_batch - one status-batch step answers for every message by
 * its key (DANESIM_MESSAGE_KEY); a message it says nothing about has no
 * status, a failing step none at all.
 */
static void
test_status_batch(void)
{
	const char *text =
	    "inject = true\n"
	    "status-batch = while read -r k m; do case $k in skip) ;; "
	    "*) echo \"$k deferred 2 for $m\";; esac; done; echo junk\n";
	struct sut_msg m[3] = {
	    {"scn", "s@x.test", "r@y.test", "/dev/null", "<1@id>", 1, 0},
	    {"scn", "s@x.test", "r@y.test", "/dev/null", "<2@id>", 2, 0},
	    {"skip", "s@x.test", "r@y.test", "/dev/null", "<3@id>", 1, 0},
	};
	char dir[] = "/tmp/dsim-sb-XXXXXX", err[256], *outs[3], *sutdir;
	struct sut_profile *p;
	struct sut *s;
	int rcs[3];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	sutdir = xasprintf("%s/sut", dir);
	p = sut_profile_parse("t.conf", text, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	s = sut_new(
	    p, NULL, dir, sutdir, "/tmp", "127.0.0.1", "/ta", "/rk", NULL, 0);
	CU_ASSERT_EQUAL(sut_status_batch(s, m, 3, 5000, rcs, outs), 0);
	CU_ASSERT_EQUAL(rcs[0], 0);
	CU_ASSERT_EQUAL(rcs[1], 0);
	CU_ASSERT_EQUAL(rcs[2], -1);
	CU_ASSERT_STRING_EQUAL(outs[0], "deferred 2 for <1@id>");
	CU_ASSERT_STRING_EQUAL(outs[1], "deferred 2 for <2@id>");
	CU_ASSERT_PTR_NULL(outs[2]);
	CU_ASSERT_EQUAL(sut_status_parse(outs[0]), SCN_SUT_DEFERRED);
	CU_ASSERT_EQUAL(sut_status_attempts(outs[0]), 2);
	free(outs[0]);
	free(outs[1]);
	sut_free(s);
	sut_profile_free(p);
	p = sut_profile_parse("t.conf",
	    "inject = true\nstatus-batch = exit 3\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	s = sut_new(
	    p, NULL, dir, sutdir, "/tmp", "127.0.0.1", "/ta", "/rk", NULL, 0);
	CU_ASSERT_EQUAL(sut_status_batch(s, m, 3, 5000, rcs, outs), -1);
	CU_ASSERT(rcs[0] == -1 && outs[0] == NULL);
	sut_free(s);
	sut_profile_free(p);
	free(sutdir);
	rm_tree(dir);
}

/*
 * test_flush - the flush step gets the messages to retry on its stdin,
 * "KEY MESSAGE-ID TRIES" a line (no TRIES when none was counted), and
 * its exit status back; a step that does
 * not end in time is killed (-1); a profile without one does nothing.
 */
static void
test_flush(void)
{
	struct sut_msg m[2] = {
	    {"scn", "s@x.test", "r@y.test", "/dev/null", "<1@id>", 1, 0},
	    {"scn", "s@x.test", "r@y.test", "/dev/null", "<2@id>", 2, 3},
	};
	char dir[] = "/tmp/dsim-fl-XXXXXX", err[256], *sutdir, *conf, *got;
	struct sut_profile *p;
	struct sut *s;
	long long t0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	sutdir = xasprintf("%s/sut", dir);
	conf = xasprintf("inject = true\nflush = cat >%s/asked; exit 4\n", dir);
	p = sut_profile_parse("t.conf", conf, err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	s = sut_new(
	    p, NULL, dir, sutdir, "/tmp", "127.0.0.1", "/ta", "/rk", NULL, 0);
	CU_ASSERT_EQUAL(sut_flush(s, m, 2, 5000), 4);
	free(conf);
	conf = xasprintf("%s/asked", dir);
	got = unit_file_text(conf);
	CU_ASSERT_PTR_NOT_NULL_FATAL(got);
	CU_ASSERT_STRING_EQUAL(got, "scn <1@id>\nscn.2 <2@id> 3\n");
	free(got);
	free(conf);
	sut_free(s);
	sut_profile_free(p);
	p = sut_profile_parse(
	    "t.conf", "inject = true\nflush = sleep 30\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	s = sut_new(
	    p, NULL, dir, sutdir, "/tmp", "127.0.0.1", "/ta", "/rk", NULL, 0);
	t0 = proc_now_ms();
	CU_ASSERT_EQUAL(sut_flush(s, m, 2, 300), -1);
	CU_ASSERT(proc_now_ms() - t0 < 5000);
	sut_free(s);
	sut_profile_free(p);
	p = sut_profile_parse("t.conf", "inject = true\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	s = sut_new(
	    p, NULL, dir, sutdir, "/tmp", "127.0.0.1", "/ta", "/rk", NULL, 0);
	CU_ASSERT_EQUAL(sut_flush(s, m, 2, 300), 0);
	sut_free(s);
	sut_profile_free(p);
	free(sutdir);
	rm_tree(dir);
}

static CU_TestInfo tests[] = {
    {"parse_ok", test_parse_ok},
    {"parse_errors", test_parse_errors},
    {"status_parse", test_status_parse},
    {"shipped", test_shipped},
    {"step_env", test_step_env},
    {"validate", test_validate},
    {"opt_steps", test_opt_steps},
    {"proc_run", test_proc_run},
    {"proc_spawn_stop", test_proc_spawn_stop},
    {"proc_interrupt", test_proc_interrupt},
    {"inject_smtp", test_inject_smtp},
    {"status_batch", test_status_batch},
    {"flush", test_flush},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("sut", NULL, NULL, tests);
