/* psql screen output: being written. */
#include "migdoctor/common.h"
#include "hist_internal.h"

int hist_read_psql(struct history *h, struct md_stream *s, const struct history_opts *opts,
		   struct md_error *err)
{
	(void)h;
	(void)opts;
	return md_fail(err, "%s: psql screen output is not supported yet", s->name);
}
