#include "jobj.h"

#include <json-c/json.h>

struct json_object *jobj_get(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

const char *jobj_get_str(struct json_object *o, const char *key)
{
	struct json_object *v = jobj_get(o, key);

	return v && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

struct json_object *jobj_str(const char *s)
{
	return json_object_new_string(s ? s : "");
}

void jobj_set(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}
