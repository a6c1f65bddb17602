/* Text forms of algebraic numbers: SMT-LIB root-obj terms (the form Z3
 * prints, "(root-obj (+ (^ x 2) (- 2)) 2)" for the square root of 2, the
 * index counting real roots from 1 in increasing order) and decimals. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"
#include "xtrain/rat.h"

/* Deepest nesting accepted in a root-obj term. */
#define MAX_DEPTH 64

/* Size limit on the polynomial of a root-obj term: (degree + 1)^2 times
 * the bit length of its largest coefficient.  Isolating a root by
 * bisection with a Sturm sequence costs about the cube of this size for
 * polynomials whose roots are close together, such as Mignotte's
 * x^d - 2 (a x - 1)^2.  The limit 2^16 allows a quadratic with
 * coefficients of 7281 bits, or degree 40 with coefficients of 38 bits;
 * at size 112000 (degree 40, a = 10^20) the parse took 1.75 s in the
 * release build on a 2-core x86-64 machine.  Every subterm is checked,
 * and every product before it is computed, so the parse itself stays
 * cheap.  The degree limit follows from the size limit. */
#define MAX_SIZE 65536
#define MAX_DEGREE 255
/* Maximum length of an integer atom: 19729 digits are just above 2^16
 * bits. */
#define MAX_DIGITS 20000

void xt_algebraic_print(FILE *stream, const xt_algebraic_t a)
{
    xt_poly p;

    if (a->degree == 0) {
        xt_rat_print(stream, a->lo);
        return;
    }
    xt_poly_init(&p);
    xt_algebraic_get_poly(&p, a);
    fputs("(root-obj ", stream);
    xt_poly_write_smtlib(stream, &p);
    fprintf(stream, " %lu)", xt_algebraic_root_index(a));
    xt_poly_clear(&p);
}

char *xt_algebraic_to_string(const xt_algebraic_t a)
{
    char *text = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&text, &size);

    if (!stream)
        return NULL;
    xt_algebraic_print(stream, a);
    if (fclose(stream) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* Stores floor(q * 10^digits) in out. */
static void scaled_floor(mpz_t out, const mpq_t q, const mpz_t scale)
{
    mpz_mul(out, mpq_numref(q), scale);
    mpz_fdiv_q(out, out, mpq_denref(q));
}

/* Writes the integer n / 10^digits (n >= 0) as a decimal. */
static void write_scaled(FILE *stream, const mpz_t n, int digits)
{
    char *s = mpz_get_str(NULL, 10, n);
    size_t len = strlen(s);

    if (digits <= 0) {
        fputs(s, stream);
    } else if (len <= (size_t)digits) {
        fputs("0.", stream);
        for (size_t i = len; i < (size_t)digits; i++)
            fputc('0', stream);
        fputs(s, stream);
    } else {
        fwrite(s, 1, len - (size_t)digits, stream);
        fprintf(stream, ".%s", s + len - digits);
    }
    free(s);
}

void xt_algebraic_print_decimal(FILE *stream, const xt_algebraic_t a,
                                int digits)
{
    xt_algebraic_t u;
    mpz_t scale, low, high;
    mpq_t neg_lo, neg_hi;
    long bits = 4L * (digits > 0 ? digits : 0) + 8;

    if (a->degree == 0) {
        xt_rat_print_decimal(stream, a->lo, digits);
        return;
    }
    if (digits < 0)
        digits = 0;
    xt_algebraic_init(u);
    xt_algebraic_set(u, a);
    mpz_inits(scale, low, high, NULL);
    mpq_inits(neg_lo, neg_hi, NULL);
    mpz_ui_pow_ui(scale, 10, (unsigned long)digits);
    /* truncate |a| toward zero: refine until both ends of the interval
     * of |a| have the same digits; an irrational never ends a cell */
    int negative = xt_algebraic_cmp_q(u, neg_lo) < 0;
    for (;;) {
        xt_algebraic_refine(u, bits);
        if (negative) {
            mpq_neg(neg_lo, u->hi);
            mpq_neg(neg_hi, u->lo);
        } else {
            mpq_set(neg_lo, u->lo);
            mpq_set(neg_hi, u->hi);
        }
        if (mpq_sgn(neg_lo) >= 0) {
            scaled_floor(low, neg_lo, scale);
            scaled_floor(high, neg_hi, scale);
            if (mpz_cmp(low, high) == 0)
                break;
        }
        bits += 16;
    }
    if (negative)
        fputc('-', stream);
    write_scaled(stream, low, digits);
    fputs("...", stream);
    mpz_clears(scale, low, high, NULL);
    mpq_clears(neg_lo, neg_hi, NULL);
    xt_algebraic_clear(u);
}

/* ------------------------------------------------------------ parsing */

typedef struct {
    const char *text;
    size_t len, pos;
    int depth;
    xt_error_t *err;
} sexp_reader;

static void skip_space(sexp_reader *r)
{
    while (r->pos < r->len && isspace((unsigned char)r->text[r->pos]))
        r->pos++;
}

/* Reads one atom (a run of characters other than space and parentheses)
 * into *start and *len.  Returns 0, or -1 when there is none. */
static int read_atom(sexp_reader *r, const char **start, size_t *len)
{
    size_t begin;

    skip_space(r);
    begin = r->pos;
    while (r->pos < r->len && !isspace((unsigned char)r->text[r->pos]) &&
           r->text[r->pos] != '(' && r->text[r->pos] != ')')
        r->pos++;
    *start = r->text + begin;
    *len = r->pos - begin;
    return *len ? 0 : -1;
}

static int expect(sexp_reader *r, char c)
{
    skip_space(r);
    if (r->pos < r->len && r->text[r->pos] == c) {
        r->pos++;
        return 0;
    }
    xt_error_set(r->err, "invalid root-obj: expected '%c' at character "
                 "%zu", c, r->pos + 1);
    return -1;
}

static int peek(sexp_reader *r, char c)
{
    skip_space(r);
    return r->pos < r->len && r->text[r->pos] == c;
}

static int atom_is(const char *start, size_t len, const char *word)
{
    return len == strlen(word) && memcmp(start, word, len) == 0;
}

/* Parses an integer atom (optional '-', then digits) into out. */
static int parse_integer(mpz_t out, const char *start, size_t len)
{
    size_t i = start[0] == '-' ? 1 : 0;
    char *buf;
    int status;

    if (len > MAX_DIGITS || len == i)
        return -1;
    for (size_t k = i; k < len; k++)
        if (!isdigit((unsigned char)start[k]))
            return -1;
    buf = malloc(len + 1);
    if (!buf)
        return -1;
    memcpy(buf, start, len);
    buf[len] = '\0';
    status = mpz_set_str(out, buf, 10);
    free(buf);
    return status;
}

/* Bit length of the largest coefficient of p (1 for the zero
 * polynomial). */
static size_t poly_bits(const xt_poly *p)
{
    size_t bits = 1;

    for (int i = 0; i <= p->deg; i++) {
        size_t b = mpz_sizeinbase(p->c[i], 2);
        if (b > bits)
            bits = b;
    }
    return bits;
}

/* Number of nonzero coefficients of p. */
static int poly_terms(const xt_poly *p)
{
    int terms = 0;

    for (int i = 0; i <= p->deg; i++)
        terms += mpz_sgn(p->c[i]) != 0;
    return terms;
}

/* The size measure of MAX_SIZE for degree deg and coefficients of bits
 * bits, saturated so that it cannot overflow. */
static size_t poly_size(long deg, size_t bits)
{
    size_t square = (size_t)(deg + 1) * (size_t)(deg + 1);

    if (deg > MAX_DEGREE || bits > MAX_SIZE)
        return MAX_SIZE + 1;
    return square * bits;
}

static int size_error(sexp_reader *r, size_t size)
{
    if (size > MAX_SIZE)
        xt_error_set(r->err, "invalid root-obj: polynomial too large: "
                     "(degree + 1)^2 times the bits of the largest "
                     "coefficient exceeds %d", MAX_SIZE);
    return size > MAX_SIZE ? -1 : 0;
}

/* Adds b to out, or subtracts it, in place: a long sum then costs time
 * linear in its length. */
static void poly_add(xt_poly *out, const xt_poly *b, int subtract)
{
    if (b->deg > out->deg) {
        xt_poly_reserve(out, b->deg);
        out->deg = b->deg;
    }
    for (int i = 0; i <= b->deg; i++) {
        if (subtract)
            mpz_sub(out->c[i], out->c[i], b->c[i]);
        else
            mpz_add(out->c[i], out->c[i], b->c[i]);
    }
    xt_poly_normalize(out);
}

/* Sets out to a * b.  Returns -1, leaving out unchanged, when an upper
 * bound on the size of the product is above MAX_SIZE, so a product may
 * be rejected although its exact size is just within the limit. */
static int poly_mul(xt_poly *out, const xt_poly *a, const xt_poly *b)
{
    xt_poly prod;
    int terms_a = poly_terms(a), terms_b = poly_terms(b);
    int terms = terms_a < terms_b ? terms_a : terms_b;
    size_t bits = poly_bits(a) + poly_bits(b);

    /* each coefficient of the product is a sum of at most terms
     * products (terms nonzero coefficients in the sparser factor), so
     * it has at most ceil(log2(terms)) more bits */
    for (int t = terms - 1; t > 0; t >>= 1)
        bits++;

    if (a->deg < 0 || b->deg < 0) {
        out->deg = -1;
        return 0;
    }
    if (poly_size((long)a->deg + b->deg, bits) > MAX_SIZE)
        return -1;
    xt_poly_init(&prod);
    xt_poly_reserve(&prod, a->deg + b->deg);
    prod.deg = a->deg + b->deg;
    /* zero coefficients are skipped: powers of x and of sparse
     * polynomials are common */
    for (int i = 0; i <= a->deg; i++) {
        if (mpz_sgn(a->c[i]) == 0)
            continue;
        for (int j = 0; j <= b->deg; j++)
            if (mpz_sgn(b->c[j]) != 0)
                mpz_addmul(prod.c[i + j], a->c[i], b->c[j]);
    }
    xt_poly_set(out, &prod);
    xt_poly_clear(&prod);
    return 0;
}

static int parse_poly(sexp_reader *r, xt_poly *out);

/* Parses the arguments of (op ...) after op and combines them: a sum, a
 * product, a negation (one argument) or a difference. */
static int parse_operation(sexp_reader *r, xt_poly *out, char op)
{
    xt_poly arg;
    int count = 0, status = 0;

    xt_poly_init(&arg);
    while (status == 0 && !peek(r, ')') && r->pos < r->len) {
        status = parse_poly(r, &arg);
        if (status != 0)
            break;
        if (count == 0) {
            xt_poly_set(out, &arg);
        } else if (op == '*') {
            status = poly_mul(out, out, &arg);
            if (status != 0)
                size_error(r, MAX_SIZE + 1);
        } else {
            poly_add(out, &arg, op == '-');
            status = size_error(r, poly_size(out->deg, poly_bits(out)));
        }
        count++;
    }
    if (status == 0 && count == 0) {
        xt_error_set(r->err, "invalid root-obj: operator '%c' without "
                     "arguments", op);
        status = -1;
    }
    if (status == 0 && op == '-' && count == 1)
        for (int i = 0; i <= out->deg; i++)
            mpz_neg(out->c[i], out->c[i]);
    xt_poly_clear(&arg);
    return status == 0 ? expect(r, ')') : -1;
}

/* Parses (^ BASE EXPONENT) after the '^'. */
static int parse_power(sexp_reader *r, xt_poly *out)
{
    xt_poly base;
    const char *start;
    size_t len = 0;
    char *end = NULL;
    long e = 0;
    int status;

    xt_poly_init(&base);
    status = parse_poly(r, &base);
    if (status == 0) {
        if (read_atom(r, &start, &len) == 0 && len < 6 &&
            isdigit((unsigned char)start[0]))
            e = strtol(start, &end, 10);
        if (len == 0 || len >= 6 || end != start + len || e > MAX_DEGREE ||
            (base.deg > 0 && e * base.deg > MAX_DEGREE)) {
            xt_error_set(r->err, "invalid root-obj: expected an integer "
                         "exponent giving degree at most %d", MAX_DEGREE);
            status = -1;
        }
    }
    if (status == 0) {
        /* square and multiply, so (^ x 200) takes 7 squarings, not
         * 200 products; poly_mul rejects a product above the size
         * limit before computing it */
        xt_poly_reserve(out, 0);
        mpz_set_ui(out->c[0], 1);
        out->deg = 0;
        for (; status == 0 && e > 0; e >>= 1) {
            if (e & 1)
                status = poly_mul(out, out, &base);
            if (status == 0 && e > 1)
                status = poly_mul(&base, &base, &base);
        }
        if (status != 0)
            size_error(r, MAX_SIZE + 1);
    }
    xt_poly_clear(&base);
    return status == 0 ? expect(r, ')') : -1;
}

static int parse_poly(sexp_reader *r, xt_poly *out)
{
    const char *start;
    size_t len;
    int status;

    if (peek(r, '(')) {
        r->pos++;
        if (++r->depth > MAX_DEPTH) {
            xt_error_set(r->err, "invalid root-obj: nested deeper than %d",
                         MAX_DEPTH);
            return -1;
        }
        if (read_atom(r, &start, &len) != 0 || len != 1 ||
            !strchr("+-*^", start[0])) {
            xt_error_set(r->err, "invalid root-obj: expected +, -, * or ^ "
                         "at character %zu", r->pos + 1);
            return -1;
        }
        status = start[0] == '^' ? parse_power(r, out)
                                 : parse_operation(r, out, start[0]);
        r->depth--;
        return status;
    }
    if (read_atom(r, &start, &len) != 0) {
        xt_error_set(r->err, "invalid root-obj: expected a term at "
                     "character %zu", r->pos + 1);
        return -1;
    }
    if (atom_is(start, len, "x")) {
        xt_poly_reserve(out, 1);
        mpz_set_ui(out->c[0], 0);
        mpz_set_ui(out->c[1], 1);
        out->deg = 1;
        return 0;
    }
    xt_poly_reserve(out, 0);
    if (len > MAX_DIGITS) {
        xt_error_set(r->err, "invalid root-obj: integer longer than %d "
                     "digits at character %zu", MAX_DIGITS,
                     (size_t)(start - r->text) + 1);
        return -1;
    }
    if (parse_integer(out->c[0], start, len) != 0) {
        xt_error_set(r->err, "invalid root-obj: \"%.*s\" is neither x nor "
                     "an integer", (int)(len < 40 ? len : 40), start);
        return -1;
    }
    out->deg = 0;
    xt_poly_normalize(out);
    return size_error(r, poly_size(out->deg, poly_bits(out)));
}

/* Parses (root-obj POLY INDEX). */
static int parse_root_obj(xt_algebraic_t a, sexp_reader *r)
{
    const char *start;
    size_t len;
    unsigned long index;
    char *end;
    xt_poly p;
    int status = XT_ERR_INPUT;

    if (expect(r, '(') != 0)
        return XT_ERR_INPUT;
    if (read_atom(r, &start, &len) != 0 || !atom_is(start, len,
                                                    "root-obj")) {
        xt_error_set(r->err, "expected a rational number or (root-obj "
                     "POLY INDEX)");
        return XT_ERR_INPUT;
    }
    xt_poly_init(&p);
    if (parse_poly(r, &p) == 0) {
        if (read_atom(r, &start, &len) != 0 || len > 9 ||
            !isdigit((unsigned char)start[0]) ||
            (index = strtoul(start, &end, 10), end != start + len)) {
            xt_error_set(r->err, "invalid root-obj: expected a root index "
                         "(1 for the smallest real root)");
        } else if (expect(r, ')') == 0) {
            skip_space(r);
            if (r->pos != r->len)
                xt_error_set(r->err, "unexpected text after root-obj");
            else
                status = xt_algebraic_set_root(a, (const mpz_t *)p.c,
                                               p.deg, index, r->err);
        }
    }
    xt_poly_clear(&p);
    return status;
}

int xt_algebraic_parse(xt_algebraic_t a, const char *text, size_t len,
                       xt_error_t *err)
{
    sexp_reader r = {text, len, 0, 0, err};
    xt_algebraic_t tmp;
    mpq_t q;
    int status;

    skip_space(&r);
    if (!peek(&r, '(')) {
        while (len > 0 && isspace((unsigned char)text[len - 1]))
            len--;
        mpq_init(q);
        status = xt_rat_parse_n(q, text + r.pos, len - r.pos) == 0
                     ? XT_OK : XT_ERR_INPUT;
        if (status == XT_OK)
            xt_algebraic_set_q(a, q);
        else
            xt_error_set(err, "invalid number (expected a rational such "
                         "as -3/4 or 0.25, or a root-obj)");
        mpq_clear(q);
        return status;
    }
    xt_algebraic_init(tmp);
    status = parse_root_obj(tmp, &r);
    if (status == XT_OK)
        xt_algebraic_set(a, tmp);
    xt_algebraic_clear(tmp);
    return status;
}
