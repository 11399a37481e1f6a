/*
 * ts.c - timestamptz text as PostgreSQL prints it, normalised to UTC.
 *
 * Accepted: "YYYY-MM-DD HH:MM:SS[.f]" with a 'T' or a space, 0 to 6
 * fractional digits (up to 9, as chrono prints, rounded to microseconds),
 * an offset "+HH", "+HH:MM", "+HH:MM:SS" (LMT offsets like +05:53:28),
 * "+HHMM", "Z", " UTC"/" GMT", an optional " BC", and [-]infinity. An
 * offset is required: a timestamp without one names no instant.
 */
#include "migdoctor/common.h"
#include "migdoctor/history.h"

#include <ctype.h>
#include <inttypes.h>

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_DAY (INT64_C(86400) * USEC_PER_SEC)

/* Days since 1970-01-01 of a proleptic Gregorian date (astronomical year). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned md[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : md[m - 1];
}

/* Exactly n digits at *p into *v. */
static bool digits(const char **p, const char *end, int n, int *v)
{
	int x = 0;

	if (end - *p < n)
		return false;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return true;
}

static bool word(const char **p, const char *end, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(end - *p) < n || strncasecmp(*p, w, n))
		return false;
	*p += n;
	return true;
}

int md_ts_parse(const char *s, size_t len, struct md_ts *out)
{
	const char *p = s, *end = s + len;
	int64_t year = 0, usec = 0, off = 0;
	int mon, day, hh, mi, ss;
	int ydigits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if ((size_t)(end - p) == 8 && !strncasecmp(p, "infinity", 8)) {
		out->kind = MD_TS_INFINITY;
		out->usec = INT64_MAX;
		return 0;
	}
	if ((size_t)(end - p) == 9 && !strncasecmp(p, "-infinity", 9)) {
		out->kind = MD_TS_NEG_INFINITY;
		out->usec = INT64_MIN;
		return 0;
	}
	while (p < end && isdigit((unsigned char)*p) && ydigits < 6) {
		year = year * 10 + (*p++ - '0');
		ydigits++;
	}
	if (ydigits < 4 || p >= end || *p++ != '-')
		return -1;
	if (!digits(&p, end, 2, &mon) || p >= end || *p++ != '-' || !digits(&p, end, 2, &day))
		return -1;
	if (p >= end || (*p != ' ' && *p != 'T'))
		return -1;
	p++;
	if (!digits(&p, end, 2, &hh) || p >= end || *p++ != ':' || !digits(&p, end, 2, &mi) ||
	    p >= end || *p++ != ':' || !digits(&p, end, 2, &ss))
		return -1;
	if (mon < 1 || mon > 12 || day < 1 || hh > 24 || mi > 59 || ss > 60)
		return -1;
	if (p < end && *p == '.') {
		int nd = 0;
		int64_t scale = 100000;
		bool round_up = false;

		p++;
		while (p < end && isdigit((unsigned char)*p)) {
			if (nd < 6)
				usec += (*p - '0') * scale;
			else if (nd == 6)
				round_up = *p >= '5';
			scale /= 10;
			nd++;
			p++;
		}
		if (nd == 0 || nd > 9)
			return -1;
		usec += round_up;
	}
	if (p < end && (*p == '+' || *p == '-')) {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0, os = 0;

		if (!digits(&p, end, 2, &oh))
			return -1;
		if (p < end && *p == ':') {
			p++;
			if (!digits(&p, end, 2, &om))
				return -1;
			if (p < end && *p == ':') {
				p++;
				if (!digits(&p, end, 2, &os))
					return -1;
			}
		} else if (end - p >= 2 && isdigit((unsigned char)p[0])) {
			if (!digits(&p, end, 2, &om))
				return -1;
		}
		if (oh > 15 || om > 59 || os > 59)
			return -1;
		off = sign * ((int64_t)oh * 3600 + om * 60 + os);
	} else if (p < end && *p == 'Z') {
		p++;
	} else if (word(&p, end, " UTC") || word(&p, end, " GMT")) {
		/* chrono / SQL DateStyle suffix: UTC */
	} else {
		return -1; /* no offset: not an instant */
	}
	if (word(&p, end, " BC")) {
		if (year == 0)
			return -1;
		year = 1 - year;
	} else if (year == 0) {
		return -1;
	}
	if (p != end)
		return -1;
	if ((unsigned)day > month_days(year, (unsigned)mon))
		return -1;
	if (hh == 24 && (mi || ss || usec))
		return -1;
	{
		int64_t days = days_from_civil(year, (unsigned)mon, (unsigned)day);
		int64_t secs = (int64_t)hh * 3600 + mi * 60 + ss - off;

		/* int64 microseconds since 1970 end in 294247 AD (PostgreSQL goes to 294276) */
		if (days > INT64_C(106751990) || days < INT64_C(-106751990))
			return -1;

		out->kind = MD_TS_VALUE;
		out->usec = days * USEC_PER_DAY + secs * USEC_PER_SEC + usec;
	}
	return 0;
}

void md_ts_format(const struct md_ts *ts, char *buf, size_t size)
{
	int64_t days, rem, y;
	unsigned m, d;
	int hh, mi, ss, us;
	char frac[16] = "";
	bool bc;

	if (size == 0)
		return;
	switch (ts->kind) {
	case MD_TS_NULL:
		snprintf(buf, size, "NULL");
		return;
	case MD_TS_INFINITY:
		snprintf(buf, size, "infinity");
		return;
	case MD_TS_NEG_INFINITY:
		snprintf(buf, size, "-infinity");
		return;
	case MD_TS_VALUE:
		break;
	}
	days = ts->usec / USEC_PER_DAY;
	rem = ts->usec % USEC_PER_DAY;
	if (rem < 0) {
		rem += USEC_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	us = (int)(rem % USEC_PER_SEC);
	rem /= USEC_PER_SEC;
	ss = (int)(rem % 60);
	mi = (int)(rem / 60 % 60);
	hh = (int)(rem / 3600);
	if (us) {
		int n = snprintf(frac, sizeof(frac), ".%06d", us);

		while (n > 1 && frac[n - 1] == '0')
			frac[--n] = '\0';
	}
	bc = y <= 0;
	if (bc)
		y = 1 - y;
	snprintf(buf, size, "%04" PRId64 "-%02u-%02u %02d:%02d:%02d%s+00%s", y, m, d, hh, mi, ss,
		 frac, bc ? " BC" : "");
}
