/* ETR-AMI systems: storage and the text format.
 *
 *     c comment
 *     p etr-ami VARIABLES CONSTRAINTS
 *     x0 = 1
 *     x1 + x0 = x2
 *     x1 * x2 = x0
 *
 * The header comes first (after comments and blank lines) and fixes the
 * numbers of variables and of constraint lines. */
#include <stdlib.h>
#include <string.h>
#include "etrami_internal.h"

void xt_etrami_init(xt_etrami_t sys)
{
    memset(sys, 0, sizeof *sys);
}

void xt_etrami_clear(xt_etrami_t sys)
{
    free(sys->constraints);
    memset(sys, 0, sizeof *sys);
}

void xt_etrami_reset(xt_etrami_t sys, int nvars)
{
    sys->nvars = nvars;
    sys->count = 0;
}

int xt_etrami_add(xt_etrami_t sys, xt_etrami_op op, int a, int b, int c,
                  xt_error_t *err)
{
    int n = sys->nvars;

    if ((unsigned)op > XT_ETRAMI_MUL) {
        xt_error_set(err, "unknown ETR-AMI constraint code %d", (int)op);
        return XT_ERR_INPUT;
    }
    if (op == XT_ETRAMI_ONE)
        b = c = 0;
    if (a < 0 || a >= n || (op != XT_ETRAMI_ONE &&
                            (b < 0 || b >= n || c < 0 || c >= n))) {
        xt_error_set(err, "variable index out of range 0..%d in a "
                     "constraint", n - 1);
        return XT_ERR_INPUT;
    }
    if (sys->count >= XT_ETRAMI_MAX_CONSTRAINTS) {
        xt_error_set(err, "more than %d constraints",
                     XT_ETRAMI_MAX_CONSTRAINTS);
        return XT_ERR_INPUT;
    }
    if (sys->count == sys->capacity) {
        int cap = sys->capacity ? 2 * sys->capacity : 16;
        xt_etrami_constraint *bigger =
            realloc(sys->constraints, (size_t)cap * sizeof *bigger);
        if (!bigger) {
            xt_error_set(err, "out of memory for %d constraints", cap);
            return XT_ERR_NOMEM;
        }
        sys->constraints = bigger;
        sys->capacity = cap;
    }
    sys->constraints[sys->count++] = (xt_etrami_constraint){op, a, b, c};
    return XT_OK;
}

int xt_etrami_set(xt_etrami_t dst, const xt_etrami_t src)
{
    if (dst == src)
        return XT_OK;
    if (dst->capacity < src->count) {
        xt_etrami_constraint *bigger =
            realloc(dst->constraints,
                    (size_t)(src->count ? src->count : 1) * sizeof *bigger);
        if (!bigger)
            return XT_ERR_NOMEM;
        dst->constraints = bigger;
        dst->capacity = src->count ? src->count : 1;
    }
    if (src->count > 0)
        memcpy(dst->constraints, src->constraints,
               (size_t)src->count * sizeof *src->constraints);
    dst->count = src->count;
    dst->nvars = src->nvars;
    return XT_OK;
}

int xt_etrami_count_op(const xt_etrami_t sys, xt_etrami_op op)
{
    int count = 0;

    for (int i = 0; i < sys->count; i++)
        count += sys->constraints[i].op == op;
    return count;
}

/* ------------------------------------------------------------ writing */

void xt_etrami_write_constraint(FILE *stream,
                                const xt_etrami_constraint *con)
{
    if (con->op == XT_ETRAMI_ONE)
        fprintf(stream, "x%d = 1", con->a);
    else
        fprintf(stream, "x%d %c x%d = x%d", con->a,
                con->op == XT_ETRAMI_ADD ? '+' : '*', con->b, con->c);
}

void xt_etrami_write(FILE *stream, const xt_etrami_t sys)
{
    fprintf(stream, "p etr-ami %d %d\n", sys->nvars, sys->count);
    for (int i = 0; i < sys->count; i++) {
        xt_etrami_write_constraint(stream, &sys->constraints[i]);
        fputc('\n', stream);
    }
}

/* ------------------------------------------------------------ parsing */

/* A cursor over one line. */
typedef struct {
    const char *p, *end;
    const char *name;
    long line;
    xt_error_t *err;
} scanner;

static void skip_blanks(scanner *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
                             *s->p == '\r'))
        s->p++;
}

/* Reads a nonnegative decimal integer of at most 9 digits. */
static int scan_number(scanner *s, long *out)
{
    long value = 0;
    int digits = 0;

    skip_blanks(s);
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9' && digits < 10) {
        value = value * 10 + (*s->p - '0');
        s->p++;
        digits++;
    }
    if (digits == 0 || digits > 9)
        return -1;
    *out = value;
    return 0;
}

/* Length of the word at p: up to a blank or end. */
static size_t word_length(const char *p, const char *end)
{
    const char *q = p;

    while (q < end && *q != ' ' && *q != '\t' && *q != '\r')
        q++;
    return (size_t)(q - p);
}

/* Reads a variable "xI" with I < nvars into *out. */
static int scan_variable(scanner *s, int nvars, int *out)
{
    char quoted[XT_QUOTE_MAX];
    long index;

    skip_blanks(s);
    if (s->p >= s->end || *s->p != 'x') {
        xt_error_at(s->err, s->name, s->line, "expected a variable xI, "
                    "found %s", s->p < s->end
                    ? xt_error_quote(quoted, s->p, word_length(s->p, s->end))
                    : "the end of the line");
        return XT_ERR_INPUT;
    }
    s->p++;
    if (s->p >= s->end || *s->p < '0' || *s->p > '9' ||
        scan_number(s, &index) != 0) {
        xt_error_at(s->err, s->name, s->line, "invalid variable name after "
                    "\"x\" (expected at most 9 digits, as in x0)");
        return XT_ERR_INPUT;
    }
    if (index >= nvars && nvars == 0) {
        xt_error_at(s->err, s->name, s->line, "variable x%ld out of range "
                    "(the header declares no variables)", index);
        return XT_ERR_INPUT;
    }
    if (index >= nvars) {
        xt_error_at(s->err, s->name, s->line, "variable x%ld out of range "
                    "(the header declares %d variables: x0 .. x%d)", index,
                    nvars, nvars - 1);
        return XT_ERR_INPUT;
    }
    *out = (int)index;
    return XT_OK;
}

/* Consumes the character ch, after optional blanks. */
static int expect_symbol(scanner *s, char ch, const char *what)
{
    skip_blanks(s);
    if (s->p < s->end && *s->p == ch) {
        s->p++;
        return XT_OK;
    }
    xt_error_at(s->err, s->name, s->line, "expected %s", what);
    return XT_ERR_INPUT;
}

/* Parses one constraint line and appends it. */
static int parse_constraint(xt_etrami_t sys, scanner *s)
{
    int a, b = 0, c = 0, status;
    xt_etrami_op op;

    if (scan_variable(s, sys->nvars, &a) != XT_OK)
        return XT_ERR_INPUT;
    skip_blanks(s);
    if (s->p < s->end && *s->p == '=') {
        long one;
        s->p++;
        op = XT_ETRAMI_ONE;
        if (scan_number(s, &one) != 0 || one != 1) {
            xt_error_at(s->err, s->name, s->line, "expected 1 or a sum or "
                        "product: \"xA = 1\", \"xA + xB = xC\" or "
                        "\"xA * xB = xC\"");
            return XT_ERR_INPUT;
        }
    } else if (s->p < s->end && (*s->p == '+' || *s->p == '*')) {
        op = *s->p == '+' ? XT_ETRAMI_ADD : XT_ETRAMI_MUL;
        s->p++;
        if (scan_variable(s, sys->nvars, &b) != XT_OK ||
            expect_symbol(s, '=', "\"=\" after the sum or product") != XT_OK ||
            scan_variable(s, sys->nvars, &c) != XT_OK)
            return XT_ERR_INPUT;
    } else {
        xt_error_at(s->err, s->name, s->line, "expected \"=\", \"+\" or "
                    "\"*\" after x%d", a);
        return XT_ERR_INPUT;
    }
    skip_blanks(s);
    if (s->p < s->end) {
        char quoted[XT_QUOTE_MAX];
        xt_error_at(s->err, s->name, s->line, "unexpected text %s after the "
                    "constraint", xt_error_quote(quoted, s->p,
                                                 (size_t)(s->end - s->p)));
        return XT_ERR_INPUT;
    }
    status = xt_etrami_add(sys, op, a, b, c, s->err);
    if (status != XT_OK)
        xt_error_at(s->err, s->name, s->line, "%s", "cannot store the "
                    "constraint (out of memory or too many)");
    return status;
}

/* Parses the header "p etr-ami N M". */
static int parse_header(xt_etrami_t sys, long *expected, scanner *s)
{
    const char *word = "etr-ami";
    size_t wlen = strlen(word);
    long n;

    s->p++;     /* 'p' */
    skip_blanks(s);
    if ((size_t)(s->end - s->p) < wlen || memcmp(s->p, word, wlen) != 0) {
        xt_error_at(s->err, s->name, s->line, "expected the header \"p "
                    "etr-ami VARIABLES CONSTRAINTS\"");
        return XT_ERR_INPUT;
    }
    s->p += wlen;
    if (scan_number(s, &n) != 0 || n > XT_ETRAMI_MAX_VARS ||
        scan_number(s, expected) != 0 ||
        *expected > XT_ETRAMI_MAX_CONSTRAINTS) {
        xt_error_at(s->err, s->name, s->line, "invalid header: expected "
                    "\"p etr-ami VARIABLES CONSTRAINTS\" with at most %d "
                    "variables and %d constraints", XT_ETRAMI_MAX_VARS,
                    XT_ETRAMI_MAX_CONSTRAINTS);
        return XT_ERR_INPUT;
    }
    skip_blanks(s);
    if (s->p < s->end) {
        xt_error_at(s->err, s->name, s->line, "unexpected text after the "
                    "header");
        return XT_ERR_INPUT;
    }
    xt_etrami_reset(sys, (int)n);
    return XT_OK;
}

/* Reports whether the line [p, end) is blank or a "c" comment. */
static int is_skipped(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p == end || (*p == 'c' && (p + 1 == end || p[1] == ' ' ||
                                      p[1] == '\t' || p[1] == '\r'));
}

/* Parses the lines of text into tmp. */
static int parse_lines(xt_etrami_t tmp, const char *text, size_t len,
                       const char *name, xt_error_t *err)
{
    scanner s = {text, text, name, 0, err};
    long expected = -1;

    for (const char *line = text; line < text + len;) {
        const char *nl = memchr(line, '\n', (size_t)(text + len - line));
        const char *end = nl ? nl : text + len;
        s.line++;
        s.p = line;
        s.end = end;
        line = nl ? nl + 1 : text + len;
        if (memchr(s.p, '\0', (size_t)(end - s.p))) {
            xt_error_at(err, name, s.line, "NUL byte (the file is not text)");
            return XT_ERR_INPUT;
        }
        if (is_skipped(s.p, end))
            continue;
        skip_blanks(&s);
        if (expected < 0) {
            if (*s.p != 'p') {
                xt_error_at(err, name, s.line, "missing header \"p etr-ami "
                            "VARIABLES CONSTRAINTS\" before the first "
                            "constraint");
                return XT_ERR_INPUT;
            }
            if (parse_header(tmp, &expected, &s) != XT_OK)
                return XT_ERR_INPUT;
            continue;
        }
        if (tmp->count >= expected) {
            xt_error_at(err, name, s.line, "more constraints than the %ld "
                        "the header declares", expected);
            return XT_ERR_INPUT;
        }
        if (parse_constraint(tmp, &s) != XT_OK)
            return XT_ERR_INPUT;
    }
    if (expected < 0) {
        xt_error_at(err, name, s.line ? s.line : 1, "missing header \"p "
                    "etr-ami VARIABLES CONSTRAINTS\"");
        return XT_ERR_INPUT;
    }
    if (tmp->count < expected) {
        xt_error_at(err, name, s.line, "too few constraints: the header "
                    "declares %ld, found %d", expected, tmp->count);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_etrami_parse(xt_etrami_t out, const char *text, size_t len,
                    const char *name, xt_error_t *err)
{
    xt_etrami_t tmp;
    int status;

    xt_etrami_init(tmp);
    status = parse_lines(tmp, text, len, name, err);
    if (status == XT_OK) {
        xt_etrami_struct swap = *out;
        *out = *tmp;
        *tmp = swap;
    }
    xt_etrami_clear(tmp);
    return status;
}

int xt_etrami_read_file(xt_etrami_t out, const char *path, xt_error_t *err)
{
    char *text;
    size_t len;
    int status = xt_read_whole_file(&text, &len, path, err);

    if (status != XT_OK)
        return status;
    status = xt_etrami_parse(out, text, len,
                             strcmp(path, "-") ? path : "<stdin>", err);
    free(text);
    return status;
}
