REFSUT_SRCS += refsut/main.c refsut/rs_policy.c refsut/rs_dns.c refsut/rs_dane.c refsut/rs_smtp.c refsut/rs_tlsacache.c refsut/rs_session.c refsut/rs_sts.c refsut/rs_serve.c
TEST_SRCS += tests/unit/test_refsut_policy.c tests/unit/test_refsut_smtp.c tests/unit/test_refsut_dane.c tests/unit/test_refsut_dns.c tests/unit/test_refsut_sts.c tests/unit/test_refsut_serve.c
