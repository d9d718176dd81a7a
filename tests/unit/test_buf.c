/*
 * test_buf.c - byte buffers and allocation helpers.
 */
#include "unit.h"

#include <string.h>
#include <stdlib.h>

#include "buf.h"
#include "xmalloc.h"

/* test_append - appends grow the buffer and keep it NUL-terminated. */
static void
test_append(void)
{
	struct buf b;
	int i;

	buf_init(&b);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "");
	for (i = 0; i < 1000; i++)
		buf_puts(&b, "ab");
	CU_ASSERT_EQUAL(b.len, 2000);
	CU_ASSERT_EQUAL(b.data[2000], '\0');
	buf_consume(&b, 1999);
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "b");
	buf_printf(&b, "%d-%s", 42, "x");
	CU_ASSERT_STRING_EQUAL(buf_cstr(&b), "b42-x");
	buf_free(&b);
	CU_ASSERT_PTR_NULL(b.data);
}

/* test_steal - steal hands the string over and empties the buffer. */
static void
test_steal(void)
{
	struct buf b;
	char *s;

	buf_init(&b);
	s = buf_steal(&b);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	buf_putc(&b, 'z');
	s = buf_steal(&b);
	CU_ASSERT_STRING_EQUAL(s, "z");
	CU_ASSERT_EQUAL(b.len, 0);
	free(s);
	s = xasprintf("%s/%d", "a", 7);
	CU_ASSERT_STRING_EQUAL(s, "a/7");
	free(s);
	s = xstrndup("abcdef", 3);
	CU_ASSERT_STRING_EQUAL(s, "abc");
	free(s);
}

static CU_TestInfo tests[] = {
    {"append", test_append},
    {"steal", test_steal},
    CU_TEST_INFO_NULL,
};
UNIT_SUITE("buf", NULL, NULL, tests);
