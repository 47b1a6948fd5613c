/* cmd: the command line: options shared by every command, and the table
 * of commands (build, check, clean). Exit status: 0 fine, 1 content
 * errors, 2 usage errors. */
#ifndef STEPBOOK_CMD_H
#define STEPBOOK_CMD_H

/* Runs stepbook with `argc`/`argv` as given to main(). Returns the exit
 * status. */
int cmd_main(int argc, char **argv);

#endif
