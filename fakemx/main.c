/* main.c - fakemx (being built). */
#include <stdio.h>
int
main(void)
{
	fprintf(stderr, "fakemx: not built yet\n");
	return 2;
}
