/* main.c - refsut (being built). */
#include <stdio.h>
int
main(void)
{
	fprintf(stderr, "refsut: not built yet\n");
	return 2;
}
