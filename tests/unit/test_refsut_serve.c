/*
 * test_refsut_serve.c - refsut's delivery server (refsut/rs_serve.c):
 * the job line, the status words, the FIFO and folders it makes, and the
 * loop: a child per job, which gets refsut's command line and keeps the
 * profile's files (its pid while it runs, emptied at its end; "STATUS
 * EXIT ATTEMPT"), lines it cannot read skipped. The delivery itself is a
 * stand-in here (the loop's one collaborator); every refsut run of the
 * e2e tests delivers through the real one.
 */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "refsut/rs_serve.h"
#include "xmalloc.h"

static void
test_job_parse(void)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
	    {"k\t1\ts\t/m\n", "fewer fields"},
	    {"k\t1\ts\t/m\tr\textra", "more fields"},
	    {"../k\t1\ts\t/m\tr", "no file name"},
	    {".k\t1\ts\t/m\tr", "no file name"},
	    {"\t1\ts\t/m\tr", "no file name"},
	    {"k\t0\ts\t/m\tr", "1..1000"},
	    {"k\t1001\ts\t/m\tr", "1..1000"},
	    {"k\t2x\ts\t/m\tr", "1..1000"},
	    {"k\t1\ts\t\tr", "message file"},
	    {"k\t1\ts\t/m\t", "recipient"},
	};
	char line[256], err[160];
	struct rs_job j;
	size_t i;

	snprintf(line, sizeof(line), "a.2\t3\ts@x.test\t/m.eml\tr@y.test\n");
	CU_ASSERT_EQUAL(rs_job_parse(line, &j, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(j.key, "a.2");
	CU_ASSERT_EQUAL(j.attempt, 3);
	CU_ASSERT_STRING_EQUAL(j.sender, "s@x.test");
	CU_ASSERT_STRING_EQUAL(j.message, "/m.eml");
	CU_ASSERT_STRING_EQUAL(j.rcpt, "r@y.test");
	/* the null sender */
	snprintf(line, sizeof(line), "k\t1\t\t/m\tr@[192.0.2.1]");
	CU_ASSERT_EQUAL(rs_job_parse(line, &j, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(j.sender, "");
	CU_ASSERT_STRING_EQUAL(j.rcpt, "r@[192.0.2.1]");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "%s", bad[i].line);
		err[0] = '\0';
		CU_ASSERT_EQUAL(rs_job_parse(line, &j, err, sizeof(err)), -1);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].why));
	}
}

static void
test_status_word(void)
{
	CU_ASSERT_STRING_EQUAL(rs_status_word(0), "delivered");
	CU_ASSERT_STRING_EQUAL(rs_status_word(75), "deferred");
	CU_ASSERT_STRING_EQUAL(rs_status_word(69), "bounced");
	CU_ASSERT_STRING_EQUAL(rs_status_word(2), "unknown");
	CU_ASSERT_STRING_EQUAL(rs_status_word(1), "unknown");
}

/* The folder the stand-in delivery writes its command line into. */
static const char *argv_dir;

/*
 * stand_in - the delivery: its command line to ARGV_DIR/argv.KEY (KEY
 * the recipient's local part), then 0 for "d...", 69 for "b...", 2 for
 * "x...", else 75.
 */
static int
stand_in(int argc, char **argv)
{
	const char *rcpt = argv[argc - 1];
	char key[64], *path;
	FILE *f;
	int i;

	snprintf(key, sizeof(key), "%.*s", (int)strcspn(rcpt, "@"), rcpt);
	path = xasprintf("%s/argv.%s", argv_dir, key);
	if ((f = fopen(path, "w")) != NULL) {
		for (i = 0; i < argc; i++)
			fprintf(f, "%s%s", i ? "|" : "", argv[i]);
		fclose(f);
	}
	free(path);
	switch (rcpt[0]) {
	case 'd':
		return 0;
	case 'b':
		return 69;
	case 'x':
		return 2;
	default:
		return 75;
	}
}

/* text - DIR/NAME's text (empty string when missing; caller frees). */
static char *
text(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name), *t;

	t = unit_file_text(path);
	free(path);
	return t != NULL ? t : xstrdup("");
}

/* has - 1 when DIR/NAME holds exactly want (a missing file: ""). */
static int
has(const char *dir, const char *name, const char *want)
{
	char *t = text(dir, name);
	int ok = strcmp(t, want) == 0;

	if (!ok)
		fprintf(stderr, "%s: \"%s\", want \"%s\"\n", name, t, want);
	free(t);
	return ok;
}

static void
test_open(void)
{
	char dir[] = "/tmp/dsimt-serve.XXXXXX", *path;
	struct stat st;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	/* a plain file where the FIFO goes is replaced */
	path = xasprintf("%s/jobs", dir);
	fclose(fopen(path, "w"));
	fd = rs_serve_open(dir);
	CU_ASSERT(fd >= 0);
	CU_ASSERT(stat(path, &st) == 0 && S_ISFIFO(st.st_mode));
	close(fd);
	/* again: the FIFO and the folders are there already */
	fd = rs_serve_open(dir);
	CU_ASSERT(fd >= 0);
	close(fd);
	free(path);
	path = xasprintf("rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(path), 0);
	free(path);
}

static void
test_loop(void)
{
	char dir[] = "/tmp/dsimt-serve.XXXXXX", *args[] = {"-r", "/r.conf"};
	char key[32], *cmd;
	int fds[2], i, busy = 0, bad = 0;
	FILE *w, *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	argv_dir = dir;
	CU_ASSERT_FATAL(rs_serve_open(dir) >= 0);
	CU_ASSERT_FATAL(pipe(fds) == 0);
	w = fdopen(fds[1], "w");
	r = fdopen(fds[0], "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(w);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r);
	fprintf(w, "one\t2\t\t/m1\tf1@a.test\n");
	fprintf(w, "two\t1\ts@x.test\t/m2\td2@b.test\n");
	fprintf(w, "three\t1\ts@x.test\t/m3\tb3@c.test\n");
	fprintf(w, "four\t1\ts@x.test\t/m4\tx4@c.test\n");
	fprintf(w, "bad/key\t1\ts\t/m\tf5@a.test\n"); /* skipped */
	fprintf(w, "short\t1\n");                     /* skipped */
	/* 40 deliveries that end at once: none may stay "running" */
	for (i = 0; i < 40; i++)
		fprintf(w, "q%d\t1\ts@x.test\t/m\tfq%d@a.test\n", i, i);
	fclose(w);
	rs_serve_loop(dir, r, 2, args, stand_in);
	fclose(r);
	while (wait(NULL) > 0 || errno == EINTR)
		;

	CU_ASSERT(has(dir, "argv.f1",
	    "refsut|-r|/r.conf|--attempt|2|-f||-m|/m1|--|f1@a.test"));
	CU_ASSERT(has(dir, "status/one", "deferred 75 2\n"));
	CU_ASSERT(has(dir, "status/two", "delivered 0 1\n"));
	CU_ASSERT(has(dir, "status/three", "bounced 69 1\n"));
	CU_ASSERT(has(dir, "status/four", "unknown 2 1\n"));
	CU_ASSERT(has(dir, "argv.f5", ""));
	CU_ASSERT(has(dir, "status/short", ""));
	for (i = 0; i < 40; i++) {
		snprintf(key, sizeof(key), "pids/q%d", i);
		busy += !has(dir, key, "");
		snprintf(key, sizeof(key), "status/q%d", i);
		bad += !has(dir, key, "deferred 75 1\n");
	}
	CU_ASSERT_EQUAL(busy, 0);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(has(dir, "pids/one", ""));
	cmd = xasprintf("rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
	free(cmd);
}

static CU_TestInfo tests[] = {
    {"job line", test_job_parse},
    {"status words", test_status_word},
    {"FIFO and folders", test_open},
    {"a child per job", test_loop},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("refsut_serve", NULL, NULL, tests);
