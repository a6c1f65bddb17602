/* Exact rational numbers: parsing and printing on top of GMP's mpq_t.
 *
 * Accepted text: an optional sign, then an integer ("-12"), a fraction
 * ("3/4", "-6/8" is reduced to "-3/4"), a decimal ("0.125", ".5", "2.")
 * or a decimal with an exponent ("1e-3", "2.5E+2").  Every form is
 * converted exactly; nothing passes through a double.  Anything else,
 * including "inf", "nan", "0x10", "1/0", "1/-2" and embedded spaces, is
 * rejected. */
#ifndef XTRAIN_RAT_H
#define XTRAIN_RAT_H

#include <stddef.h>
#include <stdio.h>
#include <gmp.h>

/* Largest accepted decimal exponent magnitude.  1e100000 already has a
 * 100001-digit numerator; larger exponents are rejected as too large. */
#define XT_RAT_MAX_EXPONENT 100000

/* Parses the whole of text into out.  Returns 0 on success, -1 when the
 * text is not a rational number (out is then 0). */
int xt_rat_parse(mpq_t out, const char *text);

/* Parses the first len bytes of text, which need not be NUL-terminated. */
int xt_rat_parse_n(mpq_t out, const char *text, size_t len);

/* Returns the canonical text of q ("-3/4", "5", "0") in a malloc'd
 * string that the caller frees.  Returns NULL only when out of memory. */
char *xt_rat_to_string(const mpq_t q);

/* Writes the canonical text of q to stream. */
void xt_rat_print(FILE *stream, const mpq_t q);

/* Writes q as a decimal with digits digits after the point, rounded to
 * the nearest (ties away from zero), for people.  A negative q that
 * rounds to zero keeps its sign ("-0.00").  Never use it where exactness
 * matters. */
void xt_rat_print_decimal(FILE *stream, const mpq_t q, int digits);

/* Allocates and initializes an array of count rationals set to 0.  Returns
 * NULL when count is 0 or when out of memory. */
mpq_t *xt_rat_array_new(size_t count);

/* Clears and frees an array from xt_rat_array_new.  NULL is allowed. */
void xt_rat_array_free(mpq_t *array, size_t count);

#endif
