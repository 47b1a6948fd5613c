/* Unit tests for jobj: reading a key (missing, null, not an object, not
 * a string), and the string and set helpers. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "jobj.h"

static void test_get(void)
{
	struct json_object *o = json_tokener_parse(
		"{\"s\": \"text\", \"n\": 3, \"z\": null, \"a\": [1]}");
	struct json_object *arr = json_tokener_parse("[1, 2]");

	CHECK(o != NULL);
	CHECK(jobj_get(o, "s") != NULL);
	CHECK(jobj_get(o, "n") != NULL);
	CHECK(jobj_get(o, "z") == NULL);
	CHECK(jobj_get(o, "missing") == NULL);
	CHECK(jobj_get(NULL, "s") == NULL);
	CHECK(jobj_get(arr, "s") == NULL);
	CHECK_STR(jobj_get_str(o, "s"), "text");
	CHECK(jobj_get_str(o, "n") == NULL);
	CHECK(jobj_get_str(o, "a") == NULL);
	CHECK(jobj_get_str(o, "z") == NULL);
	CHECK(jobj_get_str(NULL, "s") == NULL);
	json_object_put(o);
	json_object_put(arr);
}

static void test_str_set(void)
{
	struct json_object *o = json_object_new_object();

	jobj_set(o, "a", jobj_str("x"));
	jobj_set(o, "b", jobj_str(NULL));
	jobj_set(o, "a", jobj_str("y"));
	CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		  "{\"a\":\"y\",\"b\":\"\"}");
	json_object_put(o);
}

int main(void)
{
	RUN(test_get);
	RUN(test_str_set);
	return harness_done();
}
