/* Exact parsing and printing of rational numbers.  Decimal and scientific
 * notation are converted through integers (mantissa times a power of 10),
 * never through floating point. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/rat.h"

/* The pieces of a number's text, as offsets into it. */
typedef struct {
    int negative;
    size_t int_start, int_len;      /* integer digits, or the numerator */
    size_t frac_start, frac_len;    /* digits after the point */
    size_t den_start, den_len;      /* denominator digits of a fraction */
    int is_fraction;
    long exponent;                  /* decimal exponent, bounded */
} number_parts;

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

static size_t count_digits(const char *text, size_t pos, size_t len)
{
    size_t start = pos;
    while (pos < len && is_digit(text[pos]))
        pos++;
    return pos - start;
}

/* Parses "e[+-]digits" at *pos.  Returns -1 when malformed or larger in
 * magnitude than XT_RAT_MAX_EXPONENT. */
static int split_exponent(number_parts *parts, const char *text,
                          size_t *pos, size_t len)
{
    int negative = 0;
    size_t digits;
    long value = 0;

    (*pos)++;
    if (*pos < len && (text[*pos] == '+' || text[*pos] == '-'))
        negative = text[(*pos)++] == '-';
    digits = count_digits(text, *pos, len);
    if (digits == 0)
        return -1;
    for (size_t i = 0; i < digits; i++) {
        value = value * 10 + (text[*pos + i] - '0');
        if (value > XT_RAT_MAX_EXPONENT)
            return -1;
    }
    *pos += digits;
    parts->exponent = negative ? -value : value;
    return 0;
}

/* Splits text into sign, digits and exponent, checking the grammar of
 * rat.h.  Returns 0 when the whole text is a number, -1 otherwise. */
static int split_number(number_parts *parts, const char *text, size_t len)
{
    size_t pos = 0;

    memset(parts, 0, sizeof *parts);
    if (pos < len && (text[pos] == '+' || text[pos] == '-'))
        parts->negative = text[pos++] == '-';
    parts->int_start = pos;
    parts->int_len = count_digits(text, pos, len);
    pos += parts->int_len;

    if (pos < len && text[pos] == '/') {
        pos++;
        parts->is_fraction = 1;
        parts->den_start = pos;
        parts->den_len = count_digits(text, pos, len);
        pos += parts->den_len;
        if (parts->int_len == 0 || parts->den_len == 0)
            return -1;
        return pos == len ? 0 : -1;
    }
    if (pos < len && text[pos] == '.') {
        pos++;
        parts->frac_start = pos;
        parts->frac_len = count_digits(text, pos, len);
        pos += parts->frac_len;
    }
    if (parts->int_len + parts->frac_len == 0)
        return -1;
    if (pos < len && (text[pos] == 'e' || text[pos] == 'E'))
        if (split_exponent(parts, text, &pos, len) != 0)
            return -1;
    return pos == len ? 0 : -1;
}

/* Sets z to the integer whose decimal digits are the concatenation of
 * the two digit runs.  Returns -1 when out of memory. */
static int set_digits(mpz_t z, const char *first, size_t first_len,
                      const char *second, size_t second_len)
{
    char small[64];
    char *digits = small;
    size_t total = first_len + second_len;

    if (total == 0) {
        mpz_set_ui(z, 0);
        return 0;
    }
    if (total >= sizeof small) {
        digits = malloc(total + 1);
        if (!digits)
            return -1;
    }
    memcpy(digits, first, first_len);
    memcpy(digits + first_len, second, second_len);
    digits[total] = '\0';
    /* split_number accepted only decimal digits here, and mpz_set_str
     * fails only on other characters. */
    mpz_set_str(z, digits, 10);
    if (digits != small)
        free(digits);
    return 0;
}

/* Computes the value of parts: mantissa * 10^(exponent - frac_len). */
static int set_decimal(mpq_t out, const number_parts *parts,
                       const char *text)
{
    long long shift = (long long)parts->exponent -
                      (long long)parts->frac_len;

    if (set_digits(mpq_numref(out), text + parts->int_start,
                   parts->int_len, text + parts->frac_start,
                   parts->frac_len) != 0)
        return -1;
    mpz_set_ui(mpq_denref(out), 1);
    if (mpz_sgn(mpq_numref(out)) == 0)
        return 0;
    if (shift > 0) {
        mpz_t power;
        mpz_init(power);
        mpz_ui_pow_ui(power, 10, (unsigned long)shift);
        mpz_mul(mpq_numref(out), mpq_numref(out), power);
        mpz_clear(power);
    } else if (shift < 0) {
        mpz_ui_pow_ui(mpq_denref(out), 10, (unsigned long)-shift);
    }
    return 0;
}

int xt_rat_parse_n(mpq_t out, const char *text, size_t len)
{
    number_parts parts;

    if (split_number(&parts, text, len) != 0)
        goto invalid;
    if (parts.is_fraction) {
        if (set_digits(mpq_numref(out), text + parts.int_start,
                       parts.int_len, "", 0) != 0 ||
            set_digits(mpq_denref(out), text + parts.den_start,
                       parts.den_len, "", 0) != 0)
            goto invalid;
        if (mpz_sgn(mpq_denref(out)) == 0)
            goto invalid;
    } else if (set_decimal(out, &parts, text) != 0) {
        goto invalid;
    }
    mpq_canonicalize(out);
    if (parts.negative)
        mpq_neg(out, out);
    return 0;

invalid:
    mpq_set_ui(out, 0, 1);
    return -1;
}

int xt_rat_parse(mpq_t out, const char *text)
{
    return xt_rat_parse_n(out, text, strlen(text));
}

char *xt_rat_to_string(const mpq_t q)
{
    size_t size = mpz_sizeinbase(mpq_numref(q), 10) +
                  mpz_sizeinbase(mpq_denref(q), 10) + 3;
    char *text = malloc(size);

    if (text)
        mpq_get_str(text, 10, q);
    return text;
}

void xt_rat_print(FILE *stream, const mpq_t q)
{
    mpq_out_str(stream, 10, q);
}

void xt_rat_print_decimal(FILE *stream, const mpq_t q, int digits)
{
    mpz_t scaled, twice_den;
    char *text;
    size_t len;

    if (digits < 0)
        digits = 0;
    mpz_init(scaled);
    mpz_init(twice_den);

    /* scaled = floor((2 |p| 10^digits + q) / (2 q)) rounds |p/q| 10^digits
     * to the nearest integer, ties away from zero. */
    mpz_ui_pow_ui(scaled, 10, (unsigned long)digits);
    mpz_mul(scaled, scaled, mpq_numref(q));
    mpz_abs(scaled, scaled);
    mpz_mul_2exp(scaled, scaled, 1);
    mpz_add(scaled, scaled, mpq_denref(q));
    mpz_mul_2exp(twice_den, mpq_denref(q), 1);
    mpz_fdiv_q(scaled, scaled, twice_den);

    text = mpz_get_str(NULL, 10, scaled);
    len = strlen(text);
    if (mpq_sgn(q) < 0)
        fputc('-', stream);
    if (len <= (size_t)digits) {
        fputs("0.", stream);
        for (size_t i = len; i < (size_t)digits; i++)
            fputc('0', stream);
        fputs(text, stream);
    } else {
        fwrite(text, 1, len - (size_t)digits, stream);
        if (digits > 0) {
            fputc('.', stream);
            fputs(text + len - digits, stream);
        }
    }

    void (*free_func)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &free_func);
    free_func(text, len + 1);
    mpz_clear(scaled);
    mpz_clear(twice_den);
}

mpq_t *xt_rat_array_new(size_t count)
{
    mpq_t *array;

    if (count == 0 || count > SIZE_MAX / sizeof(mpq_t))
        return NULL;
    array = malloc(count * sizeof(mpq_t));
    if (!array)
        return NULL;
    for (size_t i = 0; i < count; i++)
        mpq_init(array[i]);
    return array;
}

void xt_rat_array_free(mpq_t *array, size_t count)
{
    if (!array)
        return;
    for (size_t i = 0; i < count; i++)
        mpq_clear(array[i]);
    free(array);
}
