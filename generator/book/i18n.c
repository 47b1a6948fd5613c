#include "i18n.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "hash.h"
#include "jobj.h"
#include "langtag.h"
#include "plural.h"
#include "xalloc.h"
#include "yamljson.h"

#define I18N_DIR "i18n/"

/* The embedded pack named `name` (case does not matter), or NULL. */
static const struct embedded_file *i18n_embedded(const char *name)
{
	size_t i, dir = strlen(I18N_DIR), len = strlen(name);

	for (i = 0; i < embedded_count; i++) {
		const char *p = embedded_files[i].path;
		if (strncmp(p, I18N_DIR, dir))
			continue;
		p += dir;
		if (!strncasecmp(p, name, len) && !strcmp(p + len, ".yml"))
			return &embedded_files[i];
	}
	return NULL;
}

const char *i18n_pack_for(const char *tag)
{
	static char name[64];
	char lang[16], script[8];
	const struct embedded_file *e;

	if (strlen(tag) < sizeof(name) && (e = i18n_embedded(tag)))
		goto found;
	langtag_language(tag, lang, sizeof(lang));
	langtag_script(tag, script, sizeof(script));
	if (!strcmp(lang, "zh") && !*script) {
		/* Chinese without a script: the one its region writes */
		static const char *const hant[] = { "-TW", "-HK", "-MO" };
		char upper[64];
		size_t i;
		for (i = 0; tag[i] && i + 1 < sizeof(upper); i++)
			upper[i] = (char)toupper((unsigned char)tag[i]);
		upper[i] = '\0';
		snprintf(script, sizeof(script), "Hans");
		for (i = 0; i < 3; i++)
			if (strstr(upper, hant[i]))
				snprintf(script, sizeof(script), "Hant");
	}
	if (*lang && *script) {
		snprintf(name, sizeof(name), "%s-%s", lang, script);
		if ((e = i18n_embedded(name)))
			goto found;
	}
	if (!*lang || !(e = i18n_embedded(lang)))
		return NULL;
found:
	snprintf(name, sizeof(name), "%.*s", (int)(strlen(e->path) - 4 - 5),
		 e->path + strlen(I18N_DIR));
	return name;
}

/* Whether `v` is a string, or a mapping of plural categories to strings
 * with an "other". */
static int i18n_value_ok(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return 1;
	if (!json_object_is_type(v, json_type_object) ||
	    !jobj_get_str(v, "other"))
		return 0;
	json_object_object_foreach(v, k, s)
	{
		static const char *const cats[] = { "zero", "one",  "two",
						    "few",  "many", "other" };
		size_t i;
		for (i = 0; i < 6 && strcmp(cats[i], k); i++)
			;
		if (i == 6 || !json_object_is_type(s, json_type_string))
			return 0;
	}
	return 1;
}

/* Lays the strings of `from` over `t`'s; records in `set` the keys it
 * gives. Unknown keys and bad values are warnings naming `shown`. */
static void i18n_lay(struct i18n *t, struct json_object *from,
		     const char *shown, struct json_object *set, struct diag *d)
{
	if (!from)
		return;
	if (!json_object_is_type(from, json_type_object)) {
		diag_warning(d, shown, 0, 0,
			     "strings must be a mapping of keys to strings");
		return;
	}
	json_object_object_foreach(from, key, v)
	{
		if (!jobj_get(t->strings, key)) {
			diag_warning(d, shown, 0, 0, "unknown string '%s'",
				     key);
			continue;
		}
		if (!i18n_value_ok(v)) {
			diag_warning(d, shown, 0, 0,
				     "string '%s' must be text or a mapping "
				     "of plural forms with 'other'",
				     key);
			continue;
		}
		jobj_set(t->strings, key, json_object_get(v));
		json_object_object_add(set, key, json_object_new_boolean(1));
	}
}

/* Parses the embedded pack `name` into *out. */
static int i18n_parse_pack(const char *name, struct json_object **out,
			   struct diag *d)
{
	const struct embedded_file *e = i18n_embedded(name);

	*out = NULL;
	if (!e)
		return diag_error(d, name, 0, 0, "no language pack '%s'", name);
	if (yamljson_parse(e->data, e->len, e->path, 0, out, d) < 0)
		return -1;
	if (!json_object_is_type(*out, json_type_object)) {
		diag_error(d, e->path, 0, 0, "a language pack is a mapping");
		return -1;
	}
	return 0;
}

int i18n_load(struct i18n *t, const char *tag, struct json_object *file_strings,
	      const char *file_shown, struct json_object *book_strings,
	      const char *book_shown, struct diag *d)
{
	struct json_object *pack = NULL, *set = json_object_new_object();
	const char *name = i18n_pack_for(tag);
	char lang[16];
	struct buf missing = BUF_INIT;
	size_t n_missing = 0;

	memset(t, 0, sizeof(*t));
	t->tag = xstrdup(tag);
	t->rtl = langtag_is_rtl(tag);
	if (i18n_parse_pack("en", &t->strings, d) < 0) {
		json_object_put(set);
		return -1;
	}
	if (name && strcmp(name, "en")) {
		if (i18n_parse_pack(name, &pack, d) < 0) {
			json_object_put(pack);
			json_object_put(set);
			return -1;
		}
		i18n_lay(t, pack, name, set, d);
		json_object_put(pack);
	}
	t->pack = name ? xstrdup(name) : NULL;
	i18n_lay(t, file_strings, file_shown, set, d);
	i18n_lay(t, book_strings, book_shown, set, d);

	langtag_language(tag, lang, sizeof(lang));
	if (strcmp(lang, "en")) {
		json_object_object_foreach(t->strings, key, v)
		{
			(void)v;
			if (jobj_get(set, key))
				continue;
			if (n_missing++ < 8)
				buf_addf(&missing, "%s'%s'",
					 missing.len ? ", " : "", key);
		}
	}
	if (n_missing > 8)
		buf_addf(&missing, " and %zu more", n_missing - 8);
	if (n_missing)
		diag_warning(d, book_shown, 0, 0,
			     "no '%s' text for %zu interface string%s (%s): "
			     "shown in English; add them under 'strings:' or "
			     "in i18n/%s.yml",
			     tag, n_missing, n_missing == 1 ? "" : "s",
			     missing.ptr, tag);
	buf_release(&missing);
	json_object_put(set);
	/* hashed once, here: json-c serializes into a buffer the object
	 * owns, so no thread may do it while others read the strings */
	t->hash = hash_str(hash_str(HASH_SEED, t->tag),
			   json_object_to_json_string_ext(
				   t->strings, JSON_C_TO_STRING_PLAIN));
	return 0;
}

void i18n_release(struct i18n *t)
{
	json_object_put(t->strings);
	free(t->tag);
	free(t->pack);
	memset(t, 0, sizeof(*t));
}

const char *i18n_str(const struct i18n *t, const char *key)
{
	struct json_object *v = jobj_get(t->strings, key);
	const char *s;

	if (json_object_is_type(v, json_type_object))
		v = jobj_get(v, "other");
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v)
						     : NULL;
	return s ? s : "";
}

void i18n_format(const struct i18n *t, const char *key, unsigned long long n,
		 const char *title, struct buf *out)
{
	struct json_object *v = jobj_get(t->strings, key);
	const char *s = NULL, *p;

	if (json_object_is_type(v, json_type_object))
		s = jobj_get_str(v, plural_category(t->tag, n));
	if (!s)
		s = i18n_str(t, key);
	while ((p = strchr(s, '{'))) {
		buf_add(out, s, (size_t)(p - s));
		if (!strncmp(p, "{n}", 3)) {
			buf_addf(out, "%llu", n);
			s = p + 3;
		} else if (title && !strncmp(p, "{title}", 7)) {
			buf_adds(out, title);
			s = p + 7;
		} else {
			buf_addch(out, '{');
			s = p + 1;
		}
	}
	buf_adds(out, s);
}

int i18n_is_rtl(const struct i18n *t)
{
	return t->rtl;
}

unsigned long long i18n_hash(const struct i18n *t)
{
	return t->hash;
}
