/*
 * test_conform.c - conformance profiles (harness/report/conform.c): parsing and
 * its file:line refusals, judging clauses from scored scenarios, and the
 * shipped profiles against the catalogue and the suite: every id they
 * require is a catalogue row, and rfc7672 requires exactly the security
 * rows the suite covers.
 */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report/conform.h"
#include "scn_lint.h"
#include "xmalloc.h"

/* parse - conform_parse of a C string. */
static struct conform_profile *
parse(const char *text, char *err, size_t errsz)
{
	return conform_parse("t.profile", text, strlen(text), err, errsz);
}

/* test_parse - keys, statement joining, clause texts. */
static void
test_parse(void)
{
	char err[256];
	struct conform_profile *p;

	p = parse("# a profile\n"
	          "name my-rule\n"
	          "title My rule\n"
	          "statement First half,\n"
	          "statement second half.\n"
	          "\n"
	          "require R-2.2-a   TLS where TLSA is usable\r\n"
	          "scenario striptls\n",
	    err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_STRING_EQUAL(p->name, "my-rule");
	CU_ASSERT_STRING_EQUAL(p->title, "My rule");
	CU_ASSERT_STRING_EQUAL(p->statement, "First half, second half.");
	CU_ASSERT_EQUAL_FATAL(p->n, 2);
	CU_ASSERT_EQUAL(p->c[0].kind, CONFORM_REQUIRE);
	CU_ASSERT_STRING_EQUAL(p->c[0].id, "R-2.2-a");
	CU_ASSERT_STRING_EQUAL(p->c[0].text, "TLS where TLSA is usable");
	CU_ASSERT_EQUAL(p->c[0].line, 7);
	CU_ASSERT_EQUAL(p->c[1].kind, CONFORM_SCENARIO);
	CU_ASSERT_PTR_NULL(p->c[1].text);
	conform_free(p);
}

/* test_refuse - every malformed line is named by file:line. */
static void
test_refuse(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"name a\nfrobnicate x\nrequire R-2.2-a\n",
	        "t.profile:2: unknown key 'frobnicate'"},
	    {"name a\nrequire\n", "t.profile:2: 'require' needs a value"},
	    {"name a\nname b\nrequire R-2.2-a\n", "t.profile:2: second 'name'"},
	    {"name a b\nrequire R-2.2-a\n", "t.profile:1: name wants"},
	    {"require R-2.2-a\n", "t.profile:1: no 'name' line"},
	    {"name a\n", "t.profile:1: no clause"},
	    {"name a\nrequire R-2.2-a;x\n", "t.profile:2: 'R-2.2-a;x' is not"},
	};
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CU_ASSERT_PTR_NULL(parse(bad[i].text, err, sizeof(err)));
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0) {
			fprintf(stderr, "\n  got '%s', want '%s...'\n", err,
			    bad[i].want);
			CU_FAIL("message");
		}
	}
}

/* test_eval - met, failed, inconclusive and not tested clauses. */
static void
test_eval(void)
{
	char err[256], *req1[] = {"R-2.2-a"}, *req2[] = {"R-3.2-b"};
	struct scn s1, s2;
	struct scn_expect e1[2], e2[1];
	struct score_exp x1[2], x2[1];
	struct score_result r1, r2;
	const struct scn *scns[2] = {&s1, &s2};
	const struct score_result *res[2] = {&r1, &r2};
	struct conform_profile *p;
	struct conform_result *cr;

	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	memset(e1, 0, sizeof(e1));
	memset(e2, 0, sizeof(e2));
	memset(x1, 0, sizeof(x1));
	memset(x2, 0, sizeof(x2));
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	s1.id = "one";
	s1.req = req1;
	s1.nreq = 1;
	e1[0].text = "expect never mail-plaintext";
	e1[1].text = "expect outcome deferred";
	e1[1].req = req2;
	e1[1].nreq = 1;
	x1[0].e = &e1[0];
	x1[0].verdict = SCORE_PASS;
	x1[1].e = &e1[1];
	x1[1].verdict = SCORE_FAIL;
	r1.exps = x1;
	r1.nexps = 2;
	r1.verdict = SCORE_FAIL;
	s2.id = "two";
	s2.req = req2;
	s2.nreq = 1;
	e2[0].text = "expect outcome delivered-tls";
	x2[0].e = &e2[0];
	x2[0].verdict = SCORE_INCONCLUSIVE;
	r2.exps = x2;
	r2.nexps = 1;
	r2.verdict = SCORE_INCONCLUSIVE;

	p = parse("name t\nrequire R-2.2-a\nrequire R-3.2-b\n"
	          "require R-9.9-z\nscenario two\nscenario three\n",
	    err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	cr = conform_eval(p, scns, res, 2);
	CU_ASSERT_EQUAL(cr->state[0], CONFORM_MET);
	CU_ASSERT_EQUAL(cr->state[1], CONFORM_FAILED);
	CU_ASSERT_PTR_NOT_NULL(strstr(cr->why[1], "one: expect outcome"));
	CU_ASSERT_EQUAL(cr->state[2], CONFORM_NOT_TESTED);
	CU_ASSERT_EQUAL(cr->state[3], CONFORM_INCONCLUSIVE);
	CU_ASSERT_EQUAL(cr->state[4], CONFORM_NOT_TESTED);
	CU_ASSERT_EQUAL(cr->nfailed, 4);
	CU_ASSERT_FALSE(cr->meets);
	conform_result_free(cr);
	conform_free(p);

	p = parse("name t\nrequire R-2.2-a\n", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	cr = conform_eval(p, scns, res, 2);
	CU_ASSERT_TRUE(cr->meets);
	conform_result_free(cr);
	conform_free(p);
}

/* is_security - the catalogue row's first severity is SEC (as the
   report's scope line counts them). */
static int
is_security(const struct scn_catalogue_entry *e)
{
	return e != NULL && strncmp(e->severity, "SEC", 3) == 0;
}

/* test_shipped - the shipped profiles parse, cite catalogue rows, and
   rfc7672 requires exactly the security rows the suite covers. */
static void
test_shipped(void)
{
	static const char *const names[] = {"rfc7672", "nl-gov"};
	char err[256], *dir = xstrdup(unit_data_path("../../scenarios"));
	char *cpath =
	    xstrdup(unit_data_path("../../docs/rfc7672-requirements.md"));
	struct scn_suite suite = {NULL, 0};
	struct scn_errors errs = {NULL, 0};
	struct scn_catalogue cat;
	struct conform_profile *p;
	size_t i, j, k, n;
	char *path;

	CU_ASSERT_EQUAL_FATAL(scn_catalogue_load(cpath, &cat), 0);
	CU_ASSERT_EQUAL_FATAL(scn_suite_load(&suite, &dir, 1, &errs), 0);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		path = xasprintf("%s/%s.profile",
		    unit_data_path("../../profiles"), names[i]);
		p = conform_load(path, err, sizeof(err));
		free(path);
		if (p == NULL)
			fprintf(stderr, "\n  %s\n", err);
		CU_ASSERT_PTR_NOT_NULL_FATAL(p);
		CU_ASSERT_STRING_EQUAL(p->name, names[i]);
		CU_ASSERT_PTR_NOT_NULL(p->statement);
		for (j = 0; j < p->n; j++) {
			if (p->c[j].kind == CONFORM_REQUIRE &&
			    scn_catalogue_find(&cat, p->c[j].id) == NULL) {
				fprintf(stderr,
				    "\n  %s:%d: %s not in catalogue\n", p->path,
				    p->c[j].line, p->c[j].id);
				CU_FAIL("require id not in the catalogue");
			}
			if (p->c[j].kind == CONFORM_SCENARIO) {
				for (k = 0; k < suite.n; k++)
					if (strcmp(suite.items[k]->id,
					        p->c[j].id) == 0)
						break;
				if (k == suite.n) {
					fprintf(stderr,
					    "\n  %s:%d: no scenario %s\n",
					    p->path, p->c[j].line, p->c[j].id);
					CU_FAIL("scenario not in the suite");
				}
			}
		}
		if (strcmp(names[i], "rfc7672") == 0) {
			/* every covered SEC row is required ... */
			for (k = 0; k < suite.n; k++) {
				const struct scn *s = suite.items[k];

				for (j = 0; j < s->nexpects; j++) {
					char *const *r = scn_expect_reqs(
					    s, &s->expects[j], &n);
					size_t m, q;

					for (m = 0; m < n; m++) {
						if (!is_security(
						        scn_catalogue_find(
						            &cat, r[m])))
							continue;
						for (q = 0; q < p->n; q++)
							if (strcmp(p->c[q].id,
							        r[m]) == 0)
								break;
						if (q == p->n) {
							fprintf(stderr,
							    "\n  rfc7672 lacks "
							    "require %s\n",
							    r[m]);
							CU_FAIL("missing row");
						}
					}
				}
			}
			/* ... and only security rows */
			for (j = 0; j < p->n; j++)
				if (!is_security(
				        scn_catalogue_find(&cat, p->c[j].id))) {
					fprintf(stderr,
					    "\n  rfc7672 requires %s, not a "
					    "SEC row\n",
					    p->c[j].id);
					CU_FAIL("not a security row");
				}
		}
		conform_free(p);
	}
	scn_suite_free(&suite);
	scn_errors_free(&errs);
	scn_catalogue_free(&cat);
	free(dir);
	free(cpath);
}

static CU_TestInfo tests[] = {
    {"parse", test_parse},
    {"refuse", test_refuse},
    {"eval", test_eval},
    {"shipped", test_shipped},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("conform", NULL, NULL, tests);
