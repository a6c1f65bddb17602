/* Tests for exact rational parsing and printing (src/core/rat.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xt_test.h"
#include "xtrain/rat.h"

typedef struct {
    const char *text;
    const char *value;   /* canonical value, or NULL when rejected */
} parse_case;

static const parse_case parse_cases[] = {
    {"0", "0"}, {"-0", "0"}, {"+0", "0"}, {"7", "7"}, {"+3", "3"},
    {"-12", "-12"}, {"007", "7"}, {"3/4", "3/4"}, {"-6/8", "-3/4"},
    {"+6/8", "3/4"}, {"0/5", "0"}, {"10/5", "2"}, {"1/02", "1/2"},
    {"0.125", "1/8"}, {"-0.125", "-1/8"}, {".5", "1/2"}, {"5.", "5"},
    {"-.5", "-1/2"}, {"1e-3", "1/1000"}, {"2.5E+2", "250"},
    {"2.5e2", "250"}, {"1E0", "1"}, {"1e+0", "1"}, {"0e99999", "0"},
    {"12.5e-1", "5/4"}, {"1.000", "1"}, {"0.1", "1/10"},
    {"123456789012345678901234567890", "123456789012345678901234567890"},
    {"-1/123456789012345678901234567890",
     "-1/123456789012345678901234567890"},
    {"0.000000000000000000000000000001",
     "1/1000000000000000000000000000000"},
    {"1e00003", "1000"}, {"3.e1", "30"},
    /* rejected */
    {"", NULL}, {"-", NULL}, {"+", NULL}, {".", NULL}, {"-.", NULL},
    {"1/0", NULL}, {"1/-2", NULL}, {"1/+2", NULL}, {"1/", NULL},
    {"/2", NULL}, {"1/2/3", NULL}, {"1.5/2", NULL}, {"1/2e3", NULL},
    {"1e", NULL}, {"1e+", NULL}, {"1e-", NULL}, {"e5", NULL},
    {".e5", NULL}, {"0x10", NULL}, {"inf", NULL}, {"-inf", NULL},
    {"nan", NULL}, {"NaN", NULL}, {"infinity", NULL}, {"1 2", NULL},
    {" 1", NULL}, {"1 ", NULL}, {"1,5", NULL}, {"--1", NULL},
    {"+-1", NULL}, {"1.2.3", NULL}, {"1e2.5", NULL}, {"1e999999999", NULL},
    {"1e100001", NULL}, {"1e-100001", NULL}, {"abc", NULL}, {"1a", NULL},
    {"\xef\xbc\x91", NULL}, {"1\n", NULL},
};

static void test_parse_table(void)
{
    mpq_t q;
    mpq_init(q);
    for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0];
         i++) {
        const parse_case *c = &parse_cases[i];
        int status = xt_rat_parse(q, c->text);
        if (c->value) {
            if (status != 0)
                XT_FAIL("\"%s\" was rejected", c->text);
            else
                XT_CHECK_RAT(q, c->value);
        } else {
            if (status == 0)
                XT_FAIL("\"%s\" was accepted", c->text);
            XT_CHECK_RAT(q, "0");
        }
    }
    mpq_clear(q);
}

static void test_parse_limits(void)
{
    mpq_t q;
    mpq_init(q);

    mpz_t power;
    mpz_init(power);
    mpz_ui_pow_ui(power, 10, 100000);
    XT_CHECK_INT(xt_rat_parse(q, "1e100000"), 0);
    XT_CHECK(mpz_cmp(mpq_numref(q), power) == 0);
    XT_CHECK(mpz_cmp_ui(mpq_denref(q), 1) == 0);
    XT_CHECK_INT(xt_rat_parse(q, "1e-100000"), 0);
    XT_CHECK(mpz_cmp(mpq_denref(q), power) == 0);
    XT_CHECK(mpz_cmp_ui(mpq_numref(q), 1) == 0);
    mpz_clear(power);

    /* Not NUL-terminated: only the first len bytes count. */
    XT_CHECK_INT(xt_rat_parse_n(q, "12345", 3), 0);
    XT_CHECK_RAT(q, "123");
    XT_CHECK_INT(xt_rat_parse_n(q, "3/4x", 3), 0);
    XT_CHECK_RAT(q, "3/4");
    XT_CHECK_INT(xt_rat_parse_n(q, "1\0" "2", 3), -1);
    XT_CHECK_INT(xt_rat_parse_n(q, "", 0), -1);
    mpq_clear(q);
}

/* Makes a random rational with up to about 200 decimal digits on each
 * side, sometimes small, sometimes an integer. */
static void random_rat(mpq_t q, uint64_t *state)
{
    mpz_t part;
    uint64_t kind = xt_test_rand(state) % 4;
    int limbs = 1 + (int)(xt_test_rand(state) % 10);

    mpz_init(part);
    mpz_set_ui(mpq_numref(q), 0);
    for (int i = 0; i < limbs; i++) {
        mpz_mul_2exp(mpq_numref(q), mpq_numref(q), 64);
        mpz_add_ui(mpq_numref(q), mpq_numref(q),
                   (unsigned long)xt_test_rand(state));
    }
    if (kind == 0)
        mpz_set_ui(mpq_numref(q), xt_test_rand(state) % 10);
    mpz_set_ui(mpq_denref(q), 1 + xt_test_rand(state) % 1000000);
    if (kind == 1)
        mpz_set_ui(mpq_denref(q), 1);
    if (kind == 2)
        mpz_pow_ui(mpq_denref(q), mpq_denref(q), 7);
    if (xt_test_rand(state) % 2)
        mpz_neg(mpq_numref(q), mpq_numref(q));
    mpq_canonicalize(q);
    mpz_clear(part);
}

static void test_string_round_trip(void)
{
    uint64_t state = xt_test_seed();
    long rounds = xt_test_scale(2000);
    mpq_t q, back;

    mpq_init(q);
    mpq_init(back);
    for (long i = 0; i < rounds; i++) {
        random_rat(q, &state);
        char *text = xt_rat_to_string(q);
        XT_CHECK(text != NULL);
        if (!text)
            break;
        if (xt_rat_parse(back, text) != 0 || !mpq_equal(q, back))
            XT_FAIL("round trip of %s failed", text);
        free(text);
    }
    mpq_clear(q);
    mpq_clear(back);
}

/* Builds a random decimal "IIII.FFFFeE" and, independently, the fraction
 * it stands for by moving the point with string operations: the value is
 * IIIIFFFF * 10^(E - len(FFFF)), where a power of ten is "1" followed by
 * zeros. */
static void test_decimal_against_fraction(void)
{
    uint64_t state = xt_test_seed() + 1;
    long rounds = xt_test_scale(2000);
    char decimal[200], fraction[400];
    mpq_t a, b;

    mpq_init(a);
    mpq_init(b);
    for (long i = 0; i < rounds; i++) {
        int int_len = (int)(xt_test_rand(&state) % 6);
        int frac_len = (int)(xt_test_rand(&state) % 6);
        int exponent = (int)(xt_test_rand(&state) % 41) - 20;
        int negative = (int)(xt_test_rand(&state) % 2);
        char digits[16];
        size_t n = 0;

        if (int_len + frac_len == 0)
            int_len = 1;
        for (int t = 0; t < int_len + frac_len; t++)
            digits[n++] = (char)('0' + xt_test_rand(&state) % 10);
        digits[n] = '\0';

        sprintf(decimal, "%s%.*s.%s%c%d", negative ? "-" : "", int_len,
                digits, digits + int_len,
                xt_test_rand(&state) % 2 ? 'e' : 'E', exponent);
        int shift = exponent - frac_len;
        if (shift >= 0)
            sprintf(fraction, "%s%s%0*d", negative ? "-" : "", digits, shift,
                    0);
        else
            sprintf(fraction, "%s%s/1%0*d", negative ? "-" : "", digits,
                    -shift, 0);
        /* "%0*d" with width 0 still prints one "0": remove it. */
        if (shift == 0)
            fraction[strlen(fraction) - 1] = '\0';

        if (xt_rat_parse(a, decimal) != 0) {
            XT_FAIL("\"%s\" was rejected", decimal);
            continue;
        }
        if (xt_rat_parse(b, fraction) != 0) {
            XT_FAIL("test bug: \"%s\" was rejected", fraction);
            continue;
        }
        if (!mpq_equal(a, b))
            XT_FAIL("\"%s\" differs from \"%s\"", decimal, fraction);
    }
    mpq_clear(a);
    mpq_clear(b);
}

/* Prints with xt_rat_print_decimal into a string. */
static void decimal_text(char *out, size_t size, const char *value,
                         int digits)
{
    FILE *stream = tmpfile();
    mpq_t q;
    size_t len;

    mpq_init(q);
    xt_rat_parse(q, value);
    xt_rat_print_decimal(stream, q, digits);
    rewind(stream);
    len = fread(out, 1, size - 1, stream);
    out[len] = '\0';
    fclose(stream);
    mpq_clear(q);
}

static void test_print_decimal(void)
{
    static const struct {
        const char *value;
        int digits;
        const char *text;
    } cases[] = {
        {"1/3", 2, "0.33"}, {"2/3", 2, "0.67"}, {"-1/8", 2, "-0.13"},
        {"1/8", 2, "0.13"}, {"5/2", 0, "3"}, {"-5/2", 0, "-3"},
        {"1", 3, "1.000"}, {"0", 2, "0.00"}, {"-1/1000", 2, "-0.00"},
        {"123456789/1000", 1, "123456.8"}, {"1/16", 4, "0.0625"},
        {"7", -1, "7"}, {"1/20", 1, "0.1"}, {"-1/20", 1, "-0.1"},
    };
    char text[64];

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        decimal_text(text, sizeof text, cases[i].value, cases[i].digits);
        if (strcmp(text, cases[i].text) != 0)
            XT_FAIL("%s with %d digits printed \"%s\", expected \"%s\"",
                    cases[i].value, cases[i].digits, text, cases[i].text);
    }
}

static void test_print_canonical(void)
{
    FILE *stream = tmpfile();
    char text[64];
    size_t len;
    mpq_t q;

    mpq_init(q);
    xt_rat_parse(q, "-6/8");
    xt_rat_print(stream, q);
    fputc(' ', stream);
    xt_rat_parse(q, "2.50");
    xt_rat_print(stream, q);
    rewind(stream);
    len = fread(text, 1, sizeof text - 1, stream);
    text[len] = '\0';
    XT_CHECK_STR(text, "-3/4 5/2");
    fclose(stream);
    mpq_clear(q);
}

static void test_arrays(void)
{
    mpq_t *array = xt_rat_array_new(5);

    XT_CHECK(xt_rat_array_new(0) == NULL);
    XT_CHECK(array != NULL);
    for (int i = 0; array && i < 5; i++)
        XT_CHECK_RAT(array[i], "0");
    xt_rat_array_free(array, 5);
    xt_rat_array_free(NULL, 3);
}

int main(void)
{
    xt_test_seed();
    test_parse_table();
    test_parse_limits();
    test_string_round_trip();
    test_decimal_against_fraction();
    test_print_decimal();
    test_print_canonical();
    test_arrays();
    return xt_test_finish("test_rat");
}
