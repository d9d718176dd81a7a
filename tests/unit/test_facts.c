/*
 * test_facts.c - facts from the fakedns / fakemx event logs: crafted logs
 * in tests/data/verdicts/ (good, with garbage lines, truncated last line),
 * a missing log, and hostile lines written by the test.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/run/analyse.h"
#include "harness/judge/capcheck.h"
#include "harness/judge/facts.h"
#include "harness/report/suite.h"
#include "scn.h"
#include "harness/world/model.h"
#include "xmalloc.h"

static struct scn_suite fsuite;
static struct world fworld;

/* suite_init - load the fixture scenarios. */
static int
suite_init(void)
{
	struct scn_errors errs = {NULL, 0};
	char *dir = xstrdup(unit_data_path("verdicts/scenarios"));
	size_t i;
	int rc;

	rc = scn_suite_load(&fsuite, &dir, 1, &errs);
	for (i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	scn_errors_free(&errs);
	free(dir);
	memset(&fworld, 0, sizeof(fworld));
	fworld.suite = &fsuite;
	return rc < 0 || fsuite.n != 3 ? -1 : 0;
}

/* suite_clean - free the fixture scenarios. */
static int
suite_clean(void)
{
	scn_suite_free(&fsuite);
	return 0;
}

/* scn_by_id - fixture scenario id. */
static const struct scn *
scn_by_id(const char *id)
{
	size_t i;

	for (i = 0; i < fsuite.n; i++)
		if (strcmp(fsuite.items[i]->id, id) == 0)
			return fsuite.items[i];
	return NULL;
}

/* check_facts - what both the good and the garbage logs must give. */
static void
check_facts(struct facts *f)
{
	struct facts_scn *fs;
	struct facts_conn *c;

	CU_ASSERT_EQUAL_FATAL(f->n, 3);
	CU_ASSERT_EQUAL(f->src, FACTS_SRC_LOGS);
	CU_ASSERT_EQUAL(f->nstray, 2);

	fs = facts_for(f, scn_by_id("striptls"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_EQUAL_FATAL(fs->nconns, 1);
	c = &fs->conns[0];
	CU_ASSERT_EQUAL(c->id, 1);
	CU_ASSERT_STRING_EQUAL(c->host, "mx1");
	CU_ASSERT_STRING_EQUAL(c->client, "127.0.0.1:40001");
	CU_ASSERT_EQUAL(c->starttls_sent, 0);
	CU_ASSERT_EQUAL(c->client_hello, 0);
	CU_ASSERT_EQUAL(c->mail_plain, 1);
	CU_ASSERT_EQUAL(c->mail_tls, 0);
	CU_ASSERT_EQUAL(c->rcpt_plain, 1);
	CU_ASSERT_EQUAL(c->data_plain, 1);
	CU_ASSERT_EQUAL(c->msg_plain, 1);
	CU_ASSERT_EQUAL(c->msg_tls, 0);
	CU_ASSERT_STRING_EQUAL(c->mail_from, "danesim@sender.test");
	CU_ASSERT_STRING_EQUAL(c->msg_file, "mail/striptls-1.eml");
	CU_ASSERT_DOUBLE_EQUAL(c->t_start, 1764370001.0, 0.001);
	CU_ASSERT_DOUBLE_EQUAL(c->t_end, 1764370001.8, 0.001);
	CU_ASSERT_EQUAL_FATAL(fs->nqueries, 1);
	CU_ASSERT_STRING_EQUAL(fs->queries[0].qtype, "TLSA");

	fs = facts_for(f, scn_by_id("dane-ee-valid"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_EQUAL_FATAL(fs->nconns, 1);
	c = &fs->conns[0];
	CU_ASSERT_EQUAL(c->id, 2);
	CU_ASSERT_EQUAL(c->starttls_sent, 1);
	CU_ASSERT_EQUAL(c->starttls_code, 220);
	CU_ASSERT_EQUAL(c->client_hello, 1);
	CU_ASSERT_EQUAL(c->tls_ok, 1);
	CU_ASSERT_STRING_EQUAL(c->tls_version, "TLSv1.3");
	CU_ASSERT_STRING_EQUAL(c->sni, "mx1.dane-ee-valid.test");
	CU_ASSERT_PTR_NULL(c->tls_alert);
	CU_ASSERT_EQUAL(c->mail_plain, 0);
	CU_ASSERT_EQUAL(c->mail_tls, 1);
	CU_ASSERT_EQUAL(c->rcpt_tls, 1);
	CU_ASSERT_EQUAL(c->data_tls, 1);
	CU_ASSERT_EQUAL(c->data_plain, 0);
	CU_ASSERT_EQUAL(c->msg_tls, 1);
	CU_ASSERT_EQUAL(c->msg_plain, 0);
	CU_ASSERT_EQUAL_FATAL(fs->nqueries, 1);
	/* query names are lower-cased and absolute */
	CU_ASSERT_STRING_EQUAL(
	    fs->queries[0].qname, "_25._tcp.mx1.dane-ee-valid.test.");
	CU_ASSERT_EQUAL(fs->queries[0].do_bit, 1);
	CU_ASSERT_EQUAL(fs->queries[0].to_sut, 0);

	fs = facts_for(f, scn_by_id("trap"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_EQUAL_FATAL(fs->nconns, 1);
	CU_ASSERT_STRING_EQUAL(fs->conns[0].host, "trap");
	CU_ASSERT_EQUAL(fs->conns[0].mail_plain, 0);
	CU_ASSERT_EQUAL_FATAL(fs->nqueries, 2);
	CU_ASSERT_STRING_EQUAL(fs->queries[1].qtype, "AAAA");
	CU_ASSERT_STRING_EQUAL(fs->queries[1].rcode, "SERVFAIL");
	CU_ASSERT_STRING_EQUAL(fs->queries[1].fault, "servfail");
}

/* test_good - clean logs. */
static void
test_good(void)
{
	struct facts *f =
	    facts_from_logs(&fworld, unit_data_path("verdicts/good"));

	CU_ASSERT_EQUAL(f->complete, 1);
	CU_ASSERT_EQUAL(f->have_dns, 1);
	CU_ASSERT_EQUAL(f->have_smtp, 1);
	CU_ASSERT_EQUAL(f->nbad, 0);
	check_facts(f);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->note);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->note, "2 records of no scenario"));
	CU_ASSERT_PTR_NULL(strstr(f->note, "malformed"));
	facts_free(f);
}

/* test_garbage - garbage lines and a truncated last line are skipped and
   counted; the good records still give the same facts. */
static void
test_garbage(void)
{
	struct facts *f =
	    facts_from_logs(&fworld, unit_data_path("verdicts/garbage"));

	CU_ASSERT_EQUAL(f->complete, 1);
	check_facts(f);
	/* smtp: 8 bad records, one binary line, the truncated last line;
	   dns: one bad line and the truncated last line */
	CU_ASSERT_EQUAL(f->nbad, 12);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->note);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(f->note, "smtp.jsonl: 10 malformed lines skipped"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(f->note, "dns.jsonl: 2 malformed lines skipped"));
	facts_free(f);
}

/* test_missing - a missing log leaves the facts incomplete, never NULL. */
static void
test_missing(void)
{
	struct facts *f =
	    facts_from_logs(&fworld, unit_data_path("verdicts/no-such-run"));

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(f->complete, 0);
	CU_ASSERT_EQUAL(f->have_dns, 0);
	CU_ASSERT_EQUAL(f->have_smtp, 0);
	CU_ASSERT_EQUAL(f->n, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f->note);
	CU_ASSERT_PTR_NOT_NULL(strstr(f->note, "smtp.jsonl missing"));
	CU_ASSERT_EQUAL(facts_for(f, scn_by_id("trap"))->nconns, 0);
	CU_ASSERT_PTR_NULL(facts_for(f, NULL));
	facts_free(f);
	facts_free(NULL);
}

/* write_file - write n bytes to dir/name. */
static void
write_file(const char *dir, const char *name, const char *data, size_t n)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(path, "wb");

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fwrite(data, 1, n, fp);
	fclose(fp);
	free(path);
}

/* test_hostile - huge lines, deep nesting, huge numbers, a connection
   claimed by two scenarios: skipped, no crash, no leak. */
static void
test_hostile(void)
{
	char dir[] = "/tmp/dsim-facts-XXXXXX";
	struct buf_like {
		char *p;
		size_t n;
	} big;
	struct facts *f;
	char *line, *path;
	size_t i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	big.n = 3 * 1024 * 1024;
	big.p = xmalloc(big.n + 1024);
	for (i = 0; i < big.n / 2; i++)
		big.p[i] = '[';
	for (; i < big.n; i++)
		big.p[i] = ']';
	big.p[big.n] = '\n';
	line =
	    "{\"t\":1e400,\"event\":\"connect\",\"conn\":1,"
	    "\"scenario\":\"trap\",\"host\":\"trap\"}\n"
	    "{\"t\":1,\"event\":\"connect\",\"conn\":99999999999999999999999,"
	    "\"scenario\":\"trap\"}\n"
	    "{\"t\":1,\"event\":\"connect\",\"conn\":-5,\"scenario\":\"trap\","
	    "\"host\":\"trap\",\"client\":\"x\\u0001y\"}\n"
	    "{\"t\":2,\"event\":\"mail\",\"conn\":-5,\"scenario\":\"striptls\","
	    "\"host\":\"mx1\",\"tls\":false}\n"
	    "{\"t\":3,\"event\":\"message\",\"conn\":-5,\"scenario\":\"trap\","
	    "\"tls\":\"yes\"}\n";
	memcpy(big.p + big.n + 1, line, strlen(line));
	write_file(dir, "smtp.jsonl", big.p, big.n + 1 + strlen(line));
	line = "{\"t\":1,\"scenario\":\"trap\",\"qname\":\"\","
	       "\"qtype\":\"A\"}\n\n\n"
	       /* no scenario: attributed by name, to the owner of trap.test */
	       "{\"t\":2,\"scenario\":null,\"qname\":\"Trap.Test.\","
	       "\"qtype\":\"DS\"}\n"
	       "{\"t\":3,\"scenario\":null,\"qname\":\"a.b.trap.test\","
	       "\"qtype\":\"A\"}\n"
	       /* ... but not a name that merely ends like it */
	       "{\"t\":4,\"scenario\":null,\"qname\":\"xtrap.test.\","
	       "\"qtype\":\"DS\"}\n";
	write_file(dir, "dns.jsonl", line, strlen(line));
	free(big.p);

	f = facts_from_logs(&fworld, dir);
	CU_ASSERT_EQUAL(f->complete, 1);
	CU_ASSERT_EQUAL_FATAL(facts_for(f, scn_by_id("trap"))->nconns, 1);
	/* conn -5: its mail record names another scenario and is dropped;
	   a message whose "tls" is not a boolean is dropped too */
	CU_ASSERT_EQUAL(facts_for(f, scn_by_id("trap"))->conns[0].msg_plain, 0);
	CU_ASSERT_EQUAL(facts_for(f, scn_by_id("trap"))->conns[0].msg_tls, 0);
	CU_ASSERT_STRING_EQUAL(
	    facts_for(f, scn_by_id("trap"))->conns[0].client, "x\001y");
	CU_ASSERT_EQUAL(facts_for(f, scn_by_id("striptls"))->nconns, 0);
	CU_ASSERT_EQUAL_FATAL(facts_for(f, scn_by_id("trap"))->nqueries, 3);
	CU_ASSERT_STRING_EQUAL(
	    facts_for(f, scn_by_id("trap"))->queries[0].qname, ".");
	CU_ASSERT_STRING_EQUAL(
	    facts_for(f, scn_by_id("trap"))->queries[1].qname, "trap.test.");
	CU_ASSERT_STRING_EQUAL(
	    facts_for(f, scn_by_id("trap"))->queries[2].qname,
	    "a.b.trap.test.");
	CU_ASSERT_EQUAL(f->nstray, 1);
	/* the nesting line, 1e400 (no number), the huge integer, the
	   cross-scenario mail, the message without a boolean "tls" */
	CU_ASSERT_EQUAL(f->nbad, 5);
	facts_free(f);

	path = xasprintf("%s/smtp.jsonl", dir);
	unlink(path);
	free(path);
	path = xasprintf("%s/dns.jsonl", dir);
	unlink(path);
	free(path);
	rmdir(dir);
}

/* read_all - the whole of file path (new, NUL-terminated), its size in
 *n. */
static char *
read_all(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *data = xmalloc(65536);

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	*n = fread(data, 1, 65535, fp);
	data[*n] = '\0';
	fclose(fp);
	return data;
}

/* same_str - both NULL or equal. */
static int
same_str(const char *a, const char *b)
{
	return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* same_facts - a and b say the same of every scenario. */
static void
same_facts(const struct facts *a, const struct facts *b)
{
	size_t i, j;

	CU_ASSERT_EQUAL_FATAL(a->n, b->n);
	CU_ASSERT_EQUAL(a->nbad, b->nbad);
	CU_ASSERT_EQUAL(a->nstray, b->nstray);
	CU_ASSERT_EQUAL(a->complete, b->complete);
	CU_ASSERT_TRUE(same_str(a->note, b->note));
	for (i = 0; i < a->n; i++) {
		const struct facts_scn *x = &a->scns[i], *y = &b->scns[i];

		CU_ASSERT_EQUAL_FATAL(x->nconns, y->nconns);
		CU_ASSERT_EQUAL_FATAL(x->nqueries, y->nqueries);
		for (j = 0; j < x->nconns; j++) {
			const struct facts_conn *c = &x->conns[j],
			                        *d = &y->conns[j];

			CU_ASSERT_EQUAL(c->id, d->id);
			CU_ASSERT_EQUAL(c->t_start, d->t_start);
			CU_ASSERT_EQUAL(c->t_end, d->t_end);
			CU_ASSERT_EQUAL(c->starttls_sent, d->starttls_sent);
			CU_ASSERT_EQUAL(c->starttls_code, d->starttls_code);
			CU_ASSERT_EQUAL(c->tls_ok, d->tls_ok);
			CU_ASSERT_EQUAL(c->mail_plain, d->mail_plain);
			CU_ASSERT_EQUAL(c->mail_tls, d->mail_tls);
			CU_ASSERT_EQUAL(c->data_plain, d->data_plain);
			CU_ASSERT_EQUAL(c->msg_plain, d->msg_plain);
			CU_ASSERT_EQUAL(c->msg_tls, d->msg_tls);
			CU_ASSERT_TRUE(same_str(c->host, d->host));
			CU_ASSERT_TRUE(same_str(c->client, d->client));
			CU_ASSERT_TRUE(same_str(c->sni, d->sni));
			CU_ASSERT_TRUE(same_str(c->msg_file, d->msg_file));
		}
		for (j = 0; j < x->nqueries; j++) {
			CU_ASSERT_EQUAL(x->queries[j].t, y->queries[j].t);
			CU_ASSERT_STRING_EQUAL(
			    x->queries[j].qname, y->queries[j].qname);
			CU_ASSERT_STRING_EQUAL(
			    x->queries[j].qtype, y->queries[j].qtype);
		}
	}
}

/*
 * test_tail - the run loop's incremental reading: the logs of the good
 * run written a few bytes at a time, read after each write, give at
 * every step what a whole read of the whole lines so far gives (a line
 * still being written - no newline yet - is neither malformed nor
 * half-applied: it is read whole once its rest arrives), and at the end
 * the facts of the whole logs; a garbage line is counted once.
 */
static void
test_tail(void)
{
	char dir[] = "/tmp/dsim-tail-XXXXXX", *path[2], *data[2];
	static const char *const names[2] = {"dns.jsonl", "smtp.jsonl"};
	struct facts_tail *t;
	struct facts *f, *whole;
	size_t n[2], at[2] = {0, 0}, cut, step = 0, nsame = 0;
	FILE *fp[2];
	int i, more;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	for (i = 0; i < 2; i++) {
		char *src = xasprintf(
		    "%s/%s", unit_data_path("verdicts/good"), names[i]);

		data[i] = read_all(src, &n[i]);
		free(src);
		path[i] = xasprintf("%s/%s", dir, names[i]);
		fp[i] = fopen(path[i], "wb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp[i]);
	}
	t = facts_tail_new(&fworld, dir);
	do {
		more = 0;
		for (i = 0; i < 2; i++) {
			/* 1, 2, 3 ... 37 bytes, then again: cuts
			   fall inside lines, on newlines and just after */
			cut = at[i] + 1 + (step * 7 + (size_t)i * 3) % 37;
			if (cut > n[i])
				cut = n[i];
			/* every fifth step up to a line's end */
			while (step % 5 == 4 && cut < n[i] &&
			       data[i][cut - 1] != '\n')
				cut++;
			fwrite(data[i] + at[i], 1, cut - at[i], fp[i]);
			fflush(fp[i]);
			at[i] = cut;
			more |= at[i] < n[i];
		}
		step++;
		f = facts_tail_read(t);
		CU_ASSERT_EQUAL(f->nbad, 0);
		whole = facts_from_logs(&fworld, dir);
		/* the whole read takes a last line without its newline
		   (malformed, or whole but for it); the tail leaves it for
		   later: compare when both logs end on a line's end */
		if ((at[0] == 0 || data[0][at[0] - 1] == '\n') &&
		    (at[1] == 0 || data[1][at[1] - 1] == '\n')) {
			same_facts(f, whole);
			nsame++;
		}
		facts_free(whole);
	} while (more);
	CU_ASSERT_TRUE(step > 20);
	CU_ASSERT_TRUE(nsame > 1);
	whole = facts_from_logs(&fworld, dir);
	same_facts(facts_tail_read(t), whole);
	CU_ASSERT_EQUAL(whole->nbad, 0);
	CU_ASSERT_TRUE(facts_for(whole, scn_by_id("striptls"))->nconns > 0);
	facts_free(whole);

	/* a garbage line, then a sound one: counted once, however often
	   the tail reads */
	fputs("{\"t\":1, garbage\n", fp[1]);
	fflush(fp[1]);
	CU_ASSERT_EQUAL(facts_tail_read(t)->nbad, 1);
	CU_ASSERT_EQUAL(facts_tail_read(t)->nbad, 1);
	whole = facts_from_logs(&fworld, dir);
	same_facts(facts_tail_read(t), whole);
	facts_free(whole);
	facts_tail_free(t);

	/* connections that arrive out of time order: sorted after each
	   read, and later events still reach the right one */
	fclose(fp[0]);
	fp[0] = fopen(path[1], "wb");
	t = facts_tail_new(&fworld, dir);
	fputs("{\"t\":5,\"event\":\"connect\",\"conn\":7,"
	      "\"scenario\":\"striptls\",\"host\":\"mx1\"}\n",
	    fp[0]);
	fflush(fp[0]);
	CU_ASSERT_EQUAL(
	    facts_for(facts_tail_read(t), scn_by_id("striptls"))->nconns, 1);
	fputs("{\"t\":2,\"event\":\"connect\",\"conn\":3,"
	      "\"scenario\":\"striptls\",\"host\":\"mx1\"}\n",
	    fp[0]);
	fflush(fp[0]);
	f = facts_tail_read(t);
	CU_ASSERT_EQUAL_FATAL(facts_for(f, scn_by_id("striptls"))->nconns, 2);
	CU_ASSERT_EQUAL(facts_for(f, scn_by_id("striptls"))->conns[0].id, 3);
	fputs("{\"t\":9,\"event\":\"disconnect\",\"conn\":7,"
	      "\"scenario\":\"striptls\",\"host\":\"mx1\"}\n"
	      "{\"t\":3,\"event\":\"mail\",\"conn\":3,\"tls\":false,"
	      "\"scenario\":\"striptls\",\"host\":\"mx1\"}\n",
	    fp[0]);
	fflush(fp[0]);
	f = facts_tail_read(t);
	{
		const struct facts_scn *fs =
		    facts_for(f, scn_by_id("striptls"));

		CU_ASSERT_EQUAL(fs->conns[0].id, 3);
		CU_ASSERT_EQUAL(fs->conns[0].mail_plain, 1);
		CU_ASSERT_EQUAL(fs->conns[0].t_end, 0);
		CU_ASSERT_EQUAL(fs->conns[1].id, 7);
		CU_ASSERT_EQUAL(fs->conns[1].mail_plain, 0);
		CU_ASSERT_EQUAL(fs->conns[1].t_end, 9);
	}
	whole = facts_from_logs(&fworld, dir);
	same_facts(facts_tail_read(t), whole);
	facts_free(whole);
	facts_tail_free(t);

	for (i = 0; i < 2; i++) {
		fclose(fp[i]);
		unlink(path[i]);
		free(path[i]);
		free(data[i]);
	}
	rmdir(dir);
}

/* test_suite_hash - SHA-256 of the scenario files in id order, the same
   as `cat dane-ee-valid.scn striptls.scn trap.scn | sha256sum`. */
static void
test_suite_hash(void)
{
	struct scn_suite missing;
	char hex[65];

	CU_ASSERT_EQUAL_FATAL(suite_sha256(&fsuite, hex), 0);
	CU_ASSERT_STRING_EQUAL(hex, "cc93e49c56ee2e90c437b72fe9b7ed671f1f11d1"
	                            "e276d546399f00c0edb9f268");
	/* a scenario file gone since loading: -1, not a wrong hash */
	missing = fsuite;
	missing.n = 1;
	{
		char *saved = fsuite.items[0]->file;

		fsuite.items[0]->file = (char *)"/nonexistent/x.scn";
		CU_ASSERT_EQUAL(suite_sha256(&missing, hex), -1);
		fsuite.items[0]->file = saved;
	}
}

/* test_capture_hook - the hook never makes facts up: an unreadable or
   garbage capture gives NULL and a reason. */
static void
test_capture_hook(void)
{
	char why[256], path[] = "/tmp/dsim-facts-pcap-XXXXXX";
	struct facts *f;
	int fd;

	why[0] = '\0';
	f = analyse_capture_facts(
	    &fworld, "/nonexistent/capture.pcap", why, sizeof(why));
	CU_ASSERT_PTR_NULL(f);
	CU_ASSERT_NOT_EQUAL(why[0], '\0');
	fd = mkstemp(path);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, "not a pcap file at all", 22), 22);
	close(fd);
	why[0] = '\0';
	f = analyse_capture_facts(&fworld, path, why, sizeof(why));
	CU_ASSERT(f == NULL || f->complete == 0);
	if (f == NULL)
		CU_ASSERT_NOT_EQUAL(why[0], '\0');
	facts_free(f);
	unlink(path);
}

/* smtp_facts - facts from the fakemx event log text (len bytes). */
static struct facts *
smtp_facts(const char *text, size_t len)
{
	FILE *fp = fmemopen((void *)text, len, "r");
	struct facts *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	f = facts_from_streams(&fworld, NULL, fp);
	fclose(fp);
	return f;
}

/* test_linger_early - a command read after fakemx closed counts like any
   other (MAIL in clear after a 421); an "early" event is kept. */
static void
test_linger_early(void)
{
	static const char smtp[] =
	    "{\"t\":1.0,\"event\":\"connect\",\"conn\":5,"
	    "\"scenario\":\"striptls\",\"host\":\"mx1\","
	    "\"client\":\"127.0.0.1:1\"}\n"
	    "{\"t\":1.1,\"event\":\"starttls\",\"conn\":5,"
	    "\"scenario\":\"striptls\",\"host\":\"mx1\",\"code\":421,"
	    "\"injected\":false}\n"
	    "{\"t\":1.2,\"event\":\"command\",\"conn\":5,"
	    "\"scenario\":\"striptls\",\"host\":\"mx1\",\"tls\":false,"
	    "\"verb\":\"MAIL\",\"line\":\"MAIL FROM:<a@b>\","
	    "\"after_close\":true}\n"
	    "{\"t\":1.3,\"event\":\"disconnect\",\"conn\":5,"
	    "\"scenario\":\"striptls\",\"host\":\"mx1\",\"by\":\"server\","
	    "\"reason\":\"421\",\"linger_ms\":100}\n"
	    "{\"t\":2.0,\"event\":\"early\",\"conn\":6,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"tls\":true,"
	    "\"verb\":\"MAIL\",\"line\":\"MAIL FROM:<a@b>\","
	    "\"waiting\":\"EHLO\"}\n"
	    "{\"t\":2.1,\"event\":\"early\",\"conn\":6,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"tls\":true,"
	    "\"verb\":\"RCPT\",\"line\":\"RCPT TO:<c@d>\","
	    "\"waiting\":\"EHLO\"}\n";
	struct facts *f = smtp_facts(smtp, sizeof(smtp) - 1);
	struct facts_scn *fs;

	fs = facts_for(f, scn_by_id("striptls"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_EQUAL_FATAL(fs->nconns, 1);
	CU_ASSERT_EQUAL(fs->conns[0].starttls_code, 421);
	CU_ASSERT_EQUAL(fs->conns[0].mail_plain, 1);
	CU_ASSERT_STRING_EQUAL(fs->conns[0].mail_from, "a@b");
	CU_ASSERT_EQUAL(fs->conns[0].early, 0);
	CU_ASSERT_DOUBLE_EQUAL(fs->conns[0].t_end, 1.3, 0.001);
	fs = facts_for(f, scn_by_id("trap"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_EQUAL_FATAL(fs->nconns, 1);
	CU_ASSERT_EQUAL(fs->conns[0].early, 2);
	CU_ASSERT_STRING_EQUAL(fs->conns[0].early_verb, "MAIL");
	CU_ASSERT_STRING_EQUAL(fs->conns[0].early_wait, "EHLO");
	CU_ASSERT_EQUAL(fs->conns[0].mail_tls, 0);
	CU_ASSERT_EQUAL(f->nbad, 0);
	facts_free(f);
}

/* test_after_tls - a "pipelined" command and BDAT inside TLS are kept
   with the first one's verbs; in clear they are not "after TLS". */
static void
test_after_tls(void)
{
	static const char smtp[] =
	    "{\"t\":1.0,\"event\":\"command\",\"conn\":7,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"tls\":false,"
	    "\"verb\":\"STARTTLS\",\"line\":\"STARTTLS\","
	    "\"pipelined\":\"EHLO\"}\n"
	    "{\"t\":1.1,\"event\":\"command\",\"conn\":7,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"tls\":true,"
	    "\"verb\":\"RCPT\",\"line\":\"RCPT TO:<c@d>\","
	    "\"pipelined\":\"MAIL\"}\n"
	    "{\"t\":1.2,\"event\":\"command\",\"conn\":7,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"tls\":true,"
	    "\"verb\":\"BDAT\",\"line\":\"BDAT 9 LAST\","
	    "\"pipelined\":\"RCPT\"}\n"
	    "{\"t\":1.3,\"event\":\"command\",\"conn\":8,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"tls\":false,"
	    "\"verb\":\"BDAT\",\"line\":\"BDAT 9 LAST\"}\n";
	struct facts *f = smtp_facts(smtp, sizeof(smtp) - 1);
	struct facts_scn *fs;

	fs = facts_for(f, scn_by_id("trap"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_EQUAL_FATAL(fs->nconns, 2);
	CU_ASSERT_EQUAL(fs->conns[0].pipelined_tls, 2);
	CU_ASSERT_STRING_EQUAL(fs->conns[0].pipe_verb, "RCPT");
	CU_ASSERT_STRING_EQUAL(fs->conns[0].pipe_after, "MAIL");
	CU_ASSERT_EQUAL(fs->conns[0].bdat_tls, 1);
	CU_ASSERT_EQUAL(fs->conns[0].data_tls, 1);
	CU_ASSERT_EQUAL(fs->conns[1].pipelined_tls, 0);
	CU_ASSERT_EQUAL(fs->conns[1].bdat_tls, 0);
	CU_ASSERT_EQUAL(fs->conns[1].data_plain, 1);
	CU_ASSERT_EQUAL(f->nbad, 0);
	facts_free(f);
}

/* test_tls_no_hello - a failed handshake counts as a ClientHello only
   when fakemx says it read one: a client that closed after the STARTTLS
   reply (OpenSSL's own decode_error alert logged) saw no hello, one
   refused by handshake_fail did; a log without the field (older
   fakemx) still infers the hello from its SNI or alert. */
static void
test_tls_no_hello(void)
{
	static const char smtp[] =
	    "{\"t\":1.0,\"event\":\"tls\",\"conn\":7,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"ok\":false,"
	    "\"client_hello\":false,\"sni\":null,"
	    "\"alert\":\"decode error\",\"alert_by\":\"server\","
	    "\"error\":\"no TLS record: the client closed the connection "
	    "before sending one\",\"bytes_in\":0}\n"
	    "{\"t\":2.0,\"event\":\"tls\",\"conn\":8,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"ok\":false,"
	    "\"client_hello\":true,\"sni\":null,"
	    "\"alert\":\"handshake failure\",\"alert_by\":\"server\","
	    "\"error\":\"callback failed\",\"bytes_in\":250}\n"
	    "{\"t\":3.0,\"event\":\"tls\",\"conn\":9,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"ok\":false,"
	    "\"sni\":null,\"alert\":\"decode error\","
	    "\"error\":\"unexpected eof while reading\"}\n"
	    "{\"t\":4.0,\"event\":\"tls\",\"conn\":10,"
	    "\"scenario\":\"trap\",\"host\":\"trap\",\"ok\":false,"
	    "\"client_hello\":false,\"sni\":null,\"alert\":null,"
	    "\"error\":\"wrong version number\",\"bytes_in\":24}\n";
	struct facts *f = smtp_facts(smtp, sizeof(smtp) - 1);
	struct facts_scn *fs;

	fs = facts_for(f, scn_by_id("trap"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(fs);
	CU_ASSERT_EQUAL_FATAL(fs->nconns, 4);
	CU_ASSERT_EQUAL(fs->conns[0].client_hello, 0);
	CU_ASSERT_STRING_EQUAL(fs->conns[0].tls_alert, "decode error");
	CU_ASSERT_EQUAL(fs->conns[0].tls_ok, 0);
	CU_ASSERT_EQUAL(fs->conns[1].client_hello, 1);
	CU_ASSERT_EQUAL(fs->conns[2].client_hello, 1);
	CU_ASSERT_EQUAL(fs->conns[3].client_hello, 0);
	CU_ASSERT_EQUAL(f->nbad, 0);
	facts_free(f);
}

/* test_capcheck_port_reuse - a client port used twice in a scenario, for
   connections to two hosts, pairs each logged connection with its own
   captured one (same host, closest start), so nothing disagrees; a real
   difference still does. */
static void
test_capcheck_port_reuse(void)
{
	struct facts logs, cap;
	struct facts_conn lc[2], cc[2];
	struct facts_scn *ls, *cs;
	struct buf out;
	size_t i;

	memset(&logs, 0, sizeof(logs));
	memset(&cap, 0, sizeof(cap));
	memset(lc, 0, sizeof(lc));
	memset(cc, 0, sizeof(cc));
	logs.n = cap.n = fsuite.n;
	logs.complete = cap.complete = 1;
	logs.scns = ls = xcalloc(fsuite.n, sizeof(*ls));
	cap.scns = cs = xcalloc(fsuite.n, sizeof(*cs));
	for (i = 0; i < fsuite.n; i++)
		ls[i].scn = cs[i].scn = fsuite.items[i];
	for (i = 0; i < 2; i++) {
		lc[i].client = (char *)"127.0.0.1:44206";
		lc[i].host = (char *)(i == 0 ? "mx1" : "mx2");
		lc[i].t_start = i == 0 ? 1.0 : 5.0;
		lc[i].starttls_sent = 1;
		lc[i].starttls_code = i == 0 ? 554 : 421;
		cc[1 - i] = lc[i]; /* the capture lists them the other way */
	}
	ls[0].conns = lc;
	ls[0].nconns = 2;
	cs[0].conns = cc;
	cs[0].nconns = 2;
	buf_init(&out);
	CU_ASSERT_EQUAL(capture_check(&fsuite, &logs, &cap, &out), 0);
	CU_ASSERT_EQUAL(lc[0].cap_disagree + lc[1].cap_disagree, 0);
	cc[0].starttls_code = 250; /* mx2's reply seen otherwise */
	buf_reset(&out);
	CU_ASSERT_EQUAL(capture_check(&fsuite, &logs, &cap, &out), 1);
	CU_ASSERT_EQUAL(lc[1].cap_disagree, 1);
	CU_ASSERT_EQUAL(lc[0].cap_disagree, 0);
	buf_free(&out);
	free(ls);
	free(cs);
}

static CU_TestInfo tests[] = {
    {"good", test_good},
    {"garbage", test_garbage},
    {"missing", test_missing},
    {"hostile", test_hostile},
    {"tail", test_tail},
    {"suite_hash", test_suite_hash},
    {"capture_hook", test_capture_hook},
    {"linger_early", test_linger_early},
    {"after_tls", test_after_tls},
    {"capcheck_port_reuse", test_capcheck_port_reuse},
    {"tls_no_hello", test_tls_no_hello},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("facts", suite_init, suite_clean, tests);
