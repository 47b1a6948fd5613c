/* epub_zip: the EPUB's container. Entries are deflated with libdeflate on
 * every core, or copied compressed from the previous EPUB when it holds
 * them unchanged, and zipped by libzip in a fixed order with fixed
 * times, so that two builds of the same input are byte-identical. */
#include "epub.h"
#include "write_epub.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "xalloc.h"

/* Deflate level for every entry but mimetype, with libdeflate: fixed, so
 * that the bytes do not depend on a library's default. At 4 the book's
 * prose comes out 4% larger than with zlib at 6, in a sixth of the time. */
#define EPUB_DEFLATE_LEVEL 4

/* ---- time ---- */

void write_epub_civil_time(long long epoch, int *year, int *month, int *day,
			   int *hour, int *min, int *sec)
{
	long long days = epoch / 86400, rem = epoch % 86400, era, y;
	unsigned doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* H. Hinnant's civil_from_days */
	days += 719468;
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = (unsigned)(days - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*month <= 2));
	*hour = (int)(rem / 3600);
	*min = (int)(rem / 60 % 60);
	*sec = (int)(rem % 60);
}

/* The DOS date and time of `epoch` in UTC, clamped to what they can say
 * (1980-01-01 to 2107-12-31). */
static void epub_dos_time(long long epoch, zip_uint16_t *dtime,
			  zip_uint16_t *ddate)
{
	int y, mo, d, h, mi, s;

	write_epub_civil_time(epoch, &y, &mo, &d, &h, &mi, &s);
	if (y < 1980) {
		y = 1980;
		mo = d = 1;
		h = mi = s = 0;
	} else if (y > 2107) {
		y = 2107;
		mo = 12;
		d = 31;
		h = 23;
		mi = s = 59;
	}
	*dtime = (zip_uint16_t)((h << 11) | (mi << 5) | (s / 2));
	*ddate = (zip_uint16_t)(((y - 1980) << 9) | (mo << 5) | d);
}

struct epub_deflated *epub_deflate(struct epub *e, size_t worker,
				   const struct buf *data)
{
	struct libdeflate_compressor *c;
	struct epub_deflated *z;
	struct buf *out;
	size_t bound, len;

	if (worker >= POOL_MAX_THREADS || !data->len)
		return NULL;
	if (!e->deflaters[worker])
		e->deflaters[worker] = libdeflate_alloc_compressor(
			EPUB_DEFLATE_LEVEL);
	c = e->deflaters[worker];
	if (!c)
		return NULL;
	/* into the worker's buffer, then a block of the exact size: kept
	 * for the whole build, it takes no more than it needs */
	bound = libdeflate_deflate_compress_bound(c, data->len);
	out = &e->deflate_out[worker];
	buf_reset(out);
	buf_grow(out, bound);
	len = libdeflate_deflate_compress(c, data->ptr, data->len, out->ptr,
					  bound);
	if (!len)
		return NULL;
	z = xcalloc(1, sizeof(*z));
	z->bytes = xmalloc(len);
	memcpy(z->bytes, out->ptr, len);
	z->len = len;
	z->size = data->len;
	z->crc = libdeflate_crc32(0, data->ptr, data->len);
	return z;
}

void epub_deflated_free(struct epub_deflated *z)
{
	if (z) {
		free(z->bytes);
		free(z);
	}
}

/* A libzip source giving deflated bytes as they are: its stat says they
 * are deflated, with their size and CRC, so that libzip copies them. */
struct epub_raw {
	const struct epub_deflated *z;
	size_t off;
	zip_error_t error;
};

static zip_int64_t epub_raw_cb(void *arg, void *data, zip_uint64_t len,
			       zip_source_cmd_t cmd)
{
	struct epub_raw *r = arg;

	switch (cmd) {
	case ZIP_SOURCE_OPEN:
		r->off = 0;
		return 0;
	case ZIP_SOURCE_READ: {
		size_t n = r->z->len - r->off;
		if (n > len)
			n = (size_t)len;
		memcpy(data, r->z->bytes + r->off, n);
		r->off += n;
		return (zip_int64_t)n;
	}
	case ZIP_SOURCE_CLOSE:
		return 0;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = data;
		if (len < sizeof(*st))
			return -1;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE |
			    ZIP_STAT_COMP_METHOD | ZIP_STAT_CRC |
			    ZIP_STAT_ENCRYPTION_METHOD;
		st->size = r->z->size;
		st->comp_size = r->z->len;
		st->comp_method = ZIP_CM_DEFLATE;
		st->encryption_method = ZIP_EM_NONE;
		st->crc = r->z->crc;
		return (zip_int64_t)sizeof(*st);
	}
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&r->error, data, len);
	case ZIP_SOURCE_FREE:
		zip_error_fini(&r->error);
		free(r);
		return 0;
	case ZIP_SOURCE_SUPPORTS:
		return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN,
						      ZIP_SOURCE_READ,
						      ZIP_SOURCE_CLOSE,
						      ZIP_SOURCE_STAT,
						      ZIP_SOURCE_ERROR,
						      ZIP_SOURCE_FREE, -1);
	default:
		zip_error_set(&r->error, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

static zip_source_t *epub_raw_source(zip_t *z, const struct epub_deflated *d)
{
	struct epub_raw *r = xcalloc(1, sizeof(*r));
	zip_source_t *src;

	r->z = d;
	zip_error_init(&r->error);
	src = zip_source_function(z, epub_raw_cb, r);
	if (!src) {
		zip_error_fini(&r->error);
		free(r);
	}
	return src;
}

/* Deflating is most of an EPUB's time: the entries are deflated on
 * every core (see pool.h), and the archive copies the bytes. */
struct epub_deflate_jobs {
	struct epub *e;
	struct epub_entry *entries;
};

static void epub_deflate_job(void *arg, size_t i, size_t worker)
{
	struct epub_deflate_jobs *j = arg;
	struct epub_entry *en = &j->entries[i];

	if (!en->store && en->reuse < 0 && !en->deflated && en->data->len)
		en->deflated = epub_deflate(j->e, worker, en->data);
}

static void epub_deflate_all(struct epub *e, struct epub_entry *entries,
			     size_t n)
{
	struct epub_deflate_jobs j;

	j.e = e;
	j.entries = entries;
	pool_run(n, 0, epub_deflate_job, &j);
}

/* Whether entry `idx` of the previous EPUB is deflated and holds exactly
 * `data`: then its compressed bytes can be copied as they are. Reading it
 * back (inflating) costs a fraction of deflating the new data. */
static int epub_same_entry(zip_t *old, zip_uint64_t idx, const struct buf *data)
{
	char chunk[65536];
	zip_stat_t st;
	zip_file_t *f;
	size_t off = 0;
	int same = 1;

	if (zip_stat_index(old, idx, 0, &st) < 0 ||
	    (st.valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD)) !=
		    (ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD) ||
	    st.size != data->len || st.comp_method != ZIP_CM_DEFLATE ||
	    ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) &&
	     st.encryption_method != ZIP_EM_NONE))
		return 0;
	f = zip_fopen_index(old, idx, 0);
	if (!f)
		return 0;
	while (same) {
		zip_int64_t got = zip_fread(f, chunk, sizeof(chunk));
		if (got < 0 || (size_t)got > data->len - off) {
			same = 0;
		} else if (got == 0) {
			same = off == data->len;
			break;
		} else {
			same = !memcmp(chunk, data->ptr + off, (size_t)got);
			off += (size_t)got;
		}
	}
	zip_fclose(f);
	return same;
}

void epub_entries_free(struct epub_entry *entries, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		epub_deflated_free(entries[i].deflated);
		entries[i].deflated = NULL;
	}
}

/* Adds entry `en` to `z`: copied compressed from `old` when it holds
 * it, as its deflated bytes when it comes so, else left to libzip to
 * store or deflate. Returns 0, or -1 with the error in z. */
static int epub_zip_add(zip_t *z, zip_t *old, const struct epub_entry *en,
			zip_uint16_t dtime, zip_uint16_t ddate)
{
	zip_int32_t method = en->store ? ZIP_CM_STORE : ZIP_CM_DEFLATE;
	zip_uint32_t level = en->store ? 0 : EPUB_DEFLATE_LEVEL;
	const zip_flags_t both = ZIP_FL_LOCAL | ZIP_FL_CENTRAL;
	zip_int64_t idx, oi = -1;
	zip_source_t *src = NULL;

	if (old && en->reuse >= 0) {
		/* the old EPUB holds it as it is */
		oi = en->reuse;
		src = zip_source_zip(z, old, (zip_uint64_t)oi, 0, 0, -1);
	} else if (en->deflated) {
		oi = 0;
		src = epub_raw_source(z, en->deflated);
	} else {
		src = zip_source_buffer(z, en->data->ptr, en->data->len, 0);
	}
	if (!src)
		return -1;
	idx = zip_file_add(z, en->name, src, ZIP_FL_ENC_UTF_8);
	if (idx < 0) {
		zip_source_free(src);
		return -1;
	}
	if (oi < 0 &&
	    zip_set_file_compression(z, (zip_uint64_t)idx, method, level) < 0)
		return -1;
	if (zip_file_set_dostime(z, (zip_uint64_t)idx, dtime, ddate, 0) < 0)
		return -1;
	/* no extra fields (libzip adds none for buffers; make sure) */
	if (zip_file_extra_fields_count(z, (zip_uint64_t)idx, both) > 0)
		zip_file_extra_field_delete(z, (zip_uint64_t)idx,
					    ZIP_EXTRA_FIELD_ALL, both);
	return 0;
}

/* Appends the bytes of the archive `mem` holds to `out`, and frees it.
 * Returns 0, or -1 with the error in *ze. */
/* ---- the container, written straight into the caller's buffer ---- */

/* A zip source that libzip writes the new archive into, in `out` from
 * `base` on: libzip's own buffer source would hold the archive in pieces
 * of its own, to be copied out once done, so a large EPUB was in memory
 * twice. Reading it gives what was written. */
struct epub_sink {
	struct buf *out;
	size_t base;       /* where the archive starts in out */
	zip_uint64_t rpos; /* reading */
	zip_uint64_t wpos; /* writing */
	zip_error_t err;
};

static zip_uint64_t epub_sink_size(const struct epub_sink *k)
{
	return (zip_uint64_t)(k->out->len - k->base);
}

/* Writes `len` bytes at the write position, past the end or over what
 * is there (libzip goes back to finish an entry's local header). */
static zip_int64_t epub_sink_write(struct epub_sink *k, const void *data,
				   zip_uint64_t len)
{
	size_t at = k->base + (size_t)k->wpos, end = at + (size_t)len;

	if (end > k->out->len) {
		buf_grow(k->out, end - k->out->len);
		k->out->len = end;
		k->out->ptr[end] = '\0';
	}
	memcpy(k->out->ptr + at, data, (size_t)len);
	k->wpos += len;
	return (zip_int64_t)len;
}

/* Moves the read or write position `pos` as libzip's seek arguments in
 * `data` say. */
static zip_int64_t epub_sink_seek(struct epub_sink *k, zip_uint64_t *pos,
				  void *data, zip_uint64_t len)
{
	zip_int64_t off = zip_source_seek_compute_offset(*pos,
							 epub_sink_size(k),
							 data, len, &k->err);

	if (off < 0)
		return -1;
	*pos = (zip_uint64_t)off;
	return 0;
}

static zip_int64_t epub_sink_fn(void *ud, void *data, zip_uint64_t len,
				zip_source_cmd_t cmd)
{
	struct epub_sink *k = ud;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_WRITABLE;
	case ZIP_SOURCE_STAT: {
		zip_stat_t *st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len,
						     &k->err);
		if (!st)
			return -1;
		zip_stat_init(st);
		st->valid = ZIP_STAT_SIZE;
		st->size = epub_sink_size(k);
		return (zip_int64_t)sizeof(*st);
	}
	case ZIP_SOURCE_OPEN:
		k->rpos = 0;
		return 0;
	case ZIP_SOURCE_READ:
		if (len > epub_sink_size(k) - k->rpos)
			len = epub_sink_size(k) - k->rpos;
		memcpy(data, k->out->ptr + k->base + k->rpos, (size_t)len);
		k->rpos += len;
		return (zip_int64_t)len;
	case ZIP_SOURCE_SEEK:
		return epub_sink_seek(k, &k->rpos, data, len);
	case ZIP_SOURCE_TELL:
		return (zip_int64_t)k->rpos;
	case ZIP_SOURCE_BEGIN_WRITE:
	case ZIP_SOURCE_ROLLBACK_WRITE:
	case ZIP_SOURCE_REMOVE:
		buf_truncate(k->out, k->base);
		k->wpos = 0;
		return 0;
	case ZIP_SOURCE_WRITE:
		return epub_sink_write(k, data, len);
	case ZIP_SOURCE_SEEK_WRITE:
		return epub_sink_seek(k, &k->wpos, data, len);
	case ZIP_SOURCE_TELL_WRITE:
		return (zip_int64_t)k->wpos;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&k->err, data, len);
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_COMMIT_WRITE:
	case ZIP_SOURCE_FREE:
		return 0;
	default:
		zip_error_set(&k->err, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

int epub_zip(struct epub *e, const char *path, zip_t *old,
	     struct epub_entry *entries, size_t n, long long epoch,
	     struct buf *out)
{
	zip_error_t ze;
	zip_source_t *mem;
	struct epub_sink sink;
	zip_t *z;
	zip_uint16_t dtime, ddate;
	size_t i;

	epub_dos_time(epoch, &dtime, &ddate);
	/* what the old EPUB holds as it is, then the rest deflated */
	for (i = 0; old && i < n; i++) {
		struct epub_entry *en = &entries[i];
		zip_int64_t oi;
		if (en->store || en->reuse >= 0 || en->deflated)
			continue;
		oi = zip_name_locate(old, en->name, 0);
		if (oi >= 0 && epub_same_entry(old, (zip_uint64_t)oi, en->data))
			en->reuse = oi;
	}
	epub_deflate_all(e, entries, n);
	zip_error_init(&ze);
	memset(&sink, 0, sizeof(sink));
	sink.out = out;
	sink.base = out->len;
	zip_error_init(&sink.err);
	/* the new EPUB is about the size of the last one: room for it at
	 * once, faulted in by huge pages where they are to be had */
	if (e->prev_len) {
		buf_grow(out, e->prev_len + e->prev_len / 8);
		compat_advise_huge(out->ptr + out->len, out->cap - out->len);
	}
	mem = zip_source_function_create(epub_sink_fn, &sink, &ze);
	if (!mem)
		goto fail;
	z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
	if (!z) {
		zip_source_free(mem);
		goto fail;
	}
	for (i = 0; i < n; i++)
		if (epub_zip_add(z, old, &entries[i], dtime, ddate) < 0)
			goto fail_zip;
	if (zip_close(z) < 0)
		goto fail_zip;
	epub_entries_free(entries, n);
	zip_error_fini(&sink.err);
	zip_error_fini(&ze);
	return 0;
fail_zip:
	zip_error_set(&ze, zip_error_code_zip(zip_get_error(z)),
		      zip_error_code_system(zip_get_error(z)));
	zip_discard(z);
fail:
	buf_truncate(out, sink.base);
	zip_error_fini(&sink.err);
	epub_entries_free(entries, n);
	diag_error(e->d, path, 0, 0, "cannot build the EPUB: %s",
		   zip_error_strerror(&ze));
	zip_error_fini(&ze);
	return -1;
}
