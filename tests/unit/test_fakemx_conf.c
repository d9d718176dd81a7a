/*
 * test_fakemx_conf.c - fakemx.json reading and checking (fakemx/mx_conf.c).
 */
#include "unit.h"

#include <stdio.h>
#include <string.h>

#include "fakemx/mx_conf.h"
#include "log.h"

/* test_good - the documented example loads with every field. */
static void
test_good(void)
{
	char path[512], err[512] = "";
	struct mx_conf *c;
	struct mx_listener *l;
	enum log_level lvl = log_get_level();

	snprintf(path, sizeof(path), "%s/good.json", unit_data_path("fakemx"));
	log_set_level(LOG_LVL_ERROR); /* the unknown key is warned about */
	c = mx_conf_load(path, err, sizeof(err));
	log_set_level(lvl);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(c->maildir, "/tmp/x/mail");
	CU_ASSERT_EQUAL(c->nlisteners, 2);
	l = &c->listeners[0];
	CU_ASSERT_STRING_EQUAL(l->address, "127.25.0.1");
	CU_ASSERT_EQUAL(l->port, 25);
	CU_ASSERT_STRING_EQUAL(l->behave.hostname, "mx1.dane-ee-valid.test");
	CU_ASSERT_EQUAL(l->cs.nchain, 1);
	CU_ASSERT_EQUAL(l->nsni, 1);
	CU_ASSERT_STRING_EQUAL(l->sni[0].name, "other.test");
	CU_ASSERT_EQUAL(l->sni[0].cs.nchain, 0);
	CU_ASSERT_EQUAL(l->behave.starttls, MXS_STLS_MANGLE);
	CU_ASSERT_EQUAL(l->behave.reply[MXS_STAGE_STARTTLS].code, 454);
	CU_ASSERT_STRING_EQUAL(
	    l->behave.reply[MXS_STAGE_STARTTLS].text, "TLS not available");
	CU_ASSERT_EQUAL(l->behave.reply[MXS_STAGE_MAIL].drop, 1);
	CU_ASSERT_EQUAL(l->behave.reply[MXS_STAGE_RCPT].set, 0);
	CU_ASSERT_EQUAL(l->behave.delay_ms[MXS_STAGE_EHLO], 500);
	CU_ASSERT_EQUAL(l->behave.injectlen, 14);
	CU_ASSERT_EQUAL(memcmp(l->behave.inject, "250 injected\r\n", 14), 0);
	CU_ASSERT_EQUAL(l->behave.flag[MXS_FLAG_CLOSE_AFTER_HANDSHAKE], 1);
	CU_ASSERT_PTR_NULL(l->ciphers);
	l = &c->listeners[1];
	CU_ASSERT_STRING_EQUAL(l->address, "::1");
	CU_ASSERT_EQUAL(l->port, 25);
	CU_ASSERT_PTR_NULL(l->scenario);
	CU_ASSERT_PTR_NULL(l->cs.cert);
	CU_ASSERT_EQUAL(l->behave.esmtp, 1);
	CU_ASSERT_EQUAL(l->behave.max_size, 10 * 1024 * 1024);
	mx_conf_free(c);
}

/* refused - text is refused with a message containing want. */
static int
refused(const char *text, const char *want)
{
	char err[512] = "";
	struct mx_conf *c = mx_conf_parse(text, "t.json", err, sizeof(err));

	if (c != NULL) {
		mx_conf_free(c);
		fprintf(stderr, "\n  accepted: %s\n", text);
		return 0;
	}
	if (strstr(err, want) == NULL) {
		fprintf(stderr, "\n  want \"%s\" in: %s\n", want, err);
		return 0;
	}
	return 1;
}

#define L(x) "{\"listeners\":[{\"address\":\"127.0.0.1\"," x "}]}"

/* test_bad - every kind of mistake gets a message naming it. */
static void
test_bad(void)
{
	CU_ASSERT(refused("", "t.json:"));
	CU_ASSERT(refused("[]", "top level: must be an object"));
	CU_ASSERT(refused("{\"listeners\":[]}", "non-empty array"));
	CU_ASSERT(refused("{\"listeners\":[{}]}", "\"address\" is required"));
	CU_ASSERT(refused("{\"log\":3,\"listeners\":[{\"address\":\"a\"}]}",
	    "\"log\" must be a string"));
	CU_ASSERT(refused(L("\"port\":0"), "\"port\" must be 1..65535"));
	CU_ASSERT(refused(L("\"port\":\"25\""), "\"port\""));
	CU_ASSERT(refused(L("\"starttls\":\"maybe\""), "\"starttls\" must be"));
	CU_ASSERT(refused(L("\"esmtp\":1"), "\"esmtp\" must be true or false"));
	CU_ASSERT(refused(L("\"replies\":{\"helo\":{\"code\":250}}"),
	    "unknown stage \"helo\""));
	CU_ASSERT(refused(L("\"replies\":{\"mail\":{\"code\":99}}"),
	    "needs \"code\" 200..599"));
	CU_ASSERT(refused(
	    L("\"replies\":{\"mail\":{\"code\":250,\"text\":\"a\\r\\nb\"}}"),
	    "control character"));
	CU_ASSERT(refused(L("\"delays\":{\"dot\":-1}"), "0..3600000"));
	CU_ASSERT(refused(L("\"tls_min\":\"1.4\""), "\"tls_min\""));
	CU_ASSERT(
	    refused(L("\"tls_min\":\"1.3\",\"tls_max\":\"1.2\""), "above"));
	CU_ASSERT(refused(L("\"inject\":\"\""), "\"inject\""));
	CU_ASSERT(refused(
	    L("\"sni\":[{\"name\":\"x\"}]"), "needs \"name\" and \"cert\""));
	CU_ASSERT(refused(L("\"chain\":[\"/a\"]"), "without \"cert\""));
	CU_ASSERT(refused(L("\"chain\":[1],\"cert\":\"/c\""), "\"chain\"[0]"));
	CU_ASSERT(refused(L("\"address\":\"x\""), "duplicate"));
	CU_ASSERT(refused(L("\"hostname\":\"a\\u0000b\""), "NUL"));
	CU_ASSERT(refused(
	    L("\"ehlo_keywords\":[]"), "\"ehlo_keywords\" must be an object"));
	CU_ASSERT(refused(L("\"ehlo_keywords\":{\"during_tls\":[]}"),
	    "want \"before_tls\" or \"after_tls\""));
	CU_ASSERT(refused(L("\"ehlo_keywords\":{\"after_tls\":\"SIZE\"}"),
	    "must be an array"));
	CU_ASSERT(refused(L("\"ehlo_keywords\":{\"after_tls\":[\"STARTTLS\"]}"),
	    "\"after_tls\"[0]: STARTTLS is advertised by the 'starttls' mode"));
	CU_ASSERT(refused(L("\"ehlo_keywords\":{\"before_tls\":[\"A\",3]}"),
	    "\"before_tls\"[1]: not a string"));
	CU_ASSERT(refused(
	    L("\"ehlo_keywords\":{\"before_tls\":[\"SIZE  1\"]}"), "single"));
}

/* test_https - the MTA-STS policy host's "https" object. */
static void
test_https(void)
{
	char err[512] = "";
	struct mx_conf *c = mx_conf_parse(
	    L("\"port\":443,\"https\":{\"policy\":\"version: STSv1\\r\\n\"}"),
	    "t.json", err, sizeof(err));

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_STRING_EQUAL(
	    c->listeners[0].https_policy, "version: STSv1\r\n");
	mx_conf_free(c);
	c = mx_conf_parse(L("\"port\":25"), "t.json", err, sizeof(err));
	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	CU_ASSERT_PTR_NULL(c->listeners[0].https_policy);
	mx_conf_free(c);
	CU_ASSERT(refused(L("\"https\":\"x\""), "\"https\" must be"));
	CU_ASSERT(
	    refused(L("\"https\":{\"policy\":\"\"}"), "\"https\" must be"));
	CU_ASSERT(
	    refused(L("\"https\":{\"text\":\"a\"}"), "\"https\" must be"));
}

/* test_ehlo_keywords - per-half EHLO lists are read as given. */
static void
test_ehlo_keywords(void)
{
	char err[512] = "";
	struct mx_conf *c =
	    mx_conf_parse(L("\"ehlo_keywords\":{\"before_tls\":[\"PIPELINING\","
	                    "\"CHUNKING\",\"SIZE 1000\",\"AUTH PLAIN\"],"
	                    "\"after_tls\":[]}"),
	        "t.json", err, sizeof(err));
	const struct mx_behave *b;

	CU_ASSERT_PTR_NOT_NULL_FATAL(c);
	b = &c->listeners[0].behave;
	CU_ASSERT_EQUAL(b->kw_set[MXS_PHASE_BEFORE_TLS], 1);
	CU_ASSERT_EQUAL_FATAL(b->nkw[MXS_PHASE_BEFORE_TLS], 4);
	CU_ASSERT_STRING_EQUAL(b->kw[MXS_PHASE_BEFORE_TLS][2], "SIZE 1000");
	CU_ASSERT_EQUAL(b->kw_set[MXS_PHASE_AFTER_TLS], 1);
	CU_ASSERT_EQUAL(b->nkw[MXS_PHASE_AFTER_TLS], 0);
	CU_ASSERT_EQUAL(mx_behave_max_size(b, 0), 1000);
	CU_ASSERT_EQUAL(mx_behave_max_size(b, 1), 10 * 1024 * 1024);
	mx_conf_free(c);
}

static CU_TestInfo tests[] = {
    {"good", test_good},
    {"bad", test_bad},
    {"ehlo_keywords", test_ehlo_keywords},
    {"https", test_https},
    CU_TEST_INFO_NULL,
};

UNIT_SUITE("fakemx_conf", NULL, NULL, tests);
