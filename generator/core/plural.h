/* plural: the CLDR plural category of a whole number in a language, so
 * that "1 action done" and "5 actions done" (and Polish's, Russian's and
 * Arabic's few and many forms) read right.
 *
 * Only whole numbers are counted in stepbook (actions, minutes, steps), so
 * only the rules' integer cases are written (CLDR's operands v = 0, i = n).
 * The rules are written here for the languages stepbook ships a pack for;
 * any other language reads every number as "other" except 1, "one".
 * tests/unit/test_plural.c checks each rule against CLDR's examples. */
#ifndef STEPBOOK_PLURAL_H
#define STEPBOOK_PLURAL_H

/* The plural category of `n` in the language of the BCP 47 tag `tag`:
 * one of the static strings "zero", "one", "two", "few", "many", "other". */
const char *plural_category(const char *tag, unsigned long long n);

#endif
