/* main.c - fakedns (being built). */
#include <stdio.h>
int
main(void)
{
	fprintf(stderr, "fakedns: not built yet\n");
	return 2;
}
