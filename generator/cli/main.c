/* stepbook: Markdown chapters to a website and an EPUB. */
#include "cmd.h"

int main(int argc, char **argv)
{
	return cmd_main(argc, argv);
}
