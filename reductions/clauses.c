/* Source instances (clause lists), assignments and certificate lists, the
 * DIMACS-like text format and the "s" and "v" certificate lines, and the brute-force
 * source solver. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "reduction_internal.h"

void xt_clauses_init(xt_clauses_t c)
{
    memset(c, 0, sizeof(xt_clauses_struct));
    c->start = calloc(1, sizeof(int));
    c->clause_capacity = 0;
}

void xt_clauses_clear(xt_clauses_t c)
{
    free(c->start);
    free(c->lits);
    memset(c, 0, sizeof(xt_clauses_struct));
}

void xt_clauses_reset(xt_clauses_t c, int nvars)
{
    c->nvars = nvars;
    c->nclauses = 0;
    if (c->start)
        c->start[0] = 0;
}

int xt_clauses_add(xt_clauses_t c, const int *lits, int count)
{
    if (!c->start || c->nclauses + 1 >= c->clause_capacity) {
        int cap = c->clause_capacity ? 2 * c->clause_capacity : 16;
        int *start = realloc(c->start, sizeof(int) * (size_t)(cap + 1));
        if (!start)
            return XT_ERR_NOMEM;
        if (!c->start || c->clause_capacity == 0)
            start[0] = 0;
        c->start = start;
        c->clause_capacity = cap;
    }
    int used = c->start[c->nclauses];
    if (used + count > c->lit_capacity) {
        int cap = c->lit_capacity ? 2 * c->lit_capacity : 64;
        while (cap < used + count)
            cap *= 2;
        int *grown = realloc(c->lits, sizeof(int) * (size_t)cap);
        if (!grown)
            return XT_ERR_NOMEM;
        c->lits = grown;
        c->lit_capacity = cap;
    }
    if (count > 0)
        memcpy(c->lits + used, lits, sizeof(int) * (size_t)count);
    c->nclauses++;
    c->start[c->nclauses] = used + count;
    return XT_OK;
}

int xt_clauses_set(xt_clauses_t dst, const xt_clauses_t src)
{
    if (dst == src)
        return XT_OK;
    xt_clauses_reset(dst, src->nvars);
    for (int j = 0; j < src->nclauses; j++)
        if (xt_clauses_add(dst, xt_clause_lits(src, j),
                           xt_clause_size(src, j)) != XT_OK)
            return XT_ERR_NOMEM;
    return XT_OK;
}

void xt_assignment_init(xt_assignment_t a)
{
    a->n = 0;
    a->value = NULL;
}

void xt_assignment_clear(xt_assignment_t a)
{
    free(a->value);
    a->value = NULL;
    a->n = 0;
}

int xt_assignment_resize(xt_assignment_t a, int n)
{
    unsigned char *value = calloc((size_t)(n > 0 ? n : 1), 1);
    if (!value)
        return XT_ERR_NOMEM;
    free(a->value);
    a->value = value;
    a->n = n;
    return XT_OK;
}

void xt_certificate_list_init(xt_certificate_list *list, int n)
{
    memset(list, 0, sizeof *list);
    list->n = n;
}

void xt_certificate_list_clear(xt_certificate_list *list)
{
    free(list->values);
    list->values = NULL;
    list->count = list->capacity = 0;
}

int xt_certificate_list_push(xt_certificate_list *list,
                             const xt_assignment_t a)
{
    size_t width = (size_t)(list->n > 0 ? list->n : 1);
    if (list->count == list->capacity) {
        long cap = list->capacity ? 2 * list->capacity : 16;
        unsigned char *grown = realloc(list->values, width * (size_t)cap);
        if (!grown)
            return XT_ERR_NOMEM;
        list->values = grown;
        list->capacity = cap;
    }
    memset(list->values + width * (size_t)list->count, 0, width);
    memcpy(list->values + width * (size_t)list->count, a->value,
           (size_t)(a->n < list->n ? a->n : list->n));
    list->count++;
    return XT_OK;
}

int xt_certificate_list_get(xt_assignment_t a,
                            const xt_certificate_list *list, long i)
{
    if (a->n != list->n && xt_assignment_resize(a, list->n) != XT_OK)
        return XT_ERR_NOMEM;
    size_t width = (size_t)(list->n > 0 ? list->n : 1);
    memcpy(a->value, list->values + width * (size_t)i, (size_t)list->n);
    return XT_OK;
}

int xt_read_whole_file(char **text, size_t *len, const char *path,
                       xt_error_t *err)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    *text = NULL;
    *len = 0;
    if (!f) {
        xt_error_set(err, "%s: cannot open file: %s", path, strerror(errno));
        return XT_ERR_IO;
    }
    size_t cap = 4096, used = 0;
    char *buf = malloc(cap);
    while (buf) {
        used += fread(buf + used, 1, cap - used - 1, f);
        if (used < cap - 1)
            break;
        char *grown = realloc(buf, cap * 2);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
    }
    int failed = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!buf) {
        xt_error_set(err, "%s: out of memory while reading", path);
        return XT_ERR_NOMEM;
    }
    if (failed) {
        free(buf);
        xt_error_set(err, "%s: read failed", path);
        return XT_ERR_IO;
    }
    buf[used] = '\0';
    *text = buf;
    *len = used;
    return XT_OK;
}

/* A scanner over the lines of a text. */
typedef struct {
    const char *text;
    size_t len, pos;
    const char *name;
    long line;
    const char *cur;     /* current line */
    size_t cur_len;
} line_scan;

static int next_line(line_scan *s)
{
    if (s->pos >= s->len)
        return 0;
    const char *p = s->text + s->pos;
    const char *end = memchr(p, '\n', s->len - s->pos);
    size_t n = end ? (size_t)(end - p) : s->len - s->pos;
    s->cur = p;
    s->cur_len = n;
    s->pos += n + (end ? 1 : 0);
    s->line++;
    return 1;
}

/* Copies the current line into a NUL-terminated buffer. */
static char *line_copy(const line_scan *s)
{
    char *copy = malloc(s->cur_len + 1);
    if (copy) {
        memcpy(copy, s->cur, s->cur_len);
        copy[s->cur_len] = '\0';
        for (size_t i = 0; i < s->cur_len; i++)
            if (copy[i] == '\r' || copy[i] == '\0')
                copy[i] = ' ';
    }
    return copy;
}

/* Parses a decimal integer token with an optional '-' sign. */
static int parse_int(long *out, const char *token)
{
    char *end;
    errno = 0;
    long v = strtol(token, &end, 10);
    if (errno || end == token || *end || token[0] == '+')
        return -1;
    *out = v;
    return 0;
}

static int first_char(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return *line;
}

typedef struct {
    xt_clauses_t *out;
    const xt_source_problem *p;
    line_scan scan;
    xt_error_t *err;
    long declared_vars, declared_clauses;
    int have_header;
    int *clause;
    int clause_len, clause_cap;
} source_reader;

static int reader_fail(source_reader *r, const char *what, const char *tok)
{
    xt_error_at(r->err, r->scan.name, r->scan.line, "%s%s%s%s", what,
                tok ? " \"" : "", tok ? tok : "", tok ? "\"" : "");
    return XT_ERR_INPUT;
}

static int read_header(source_reader *r, char *line)
{
    char *save = NULL;
    char *p = strtok_r(line, " \t", &save);
    char *kind = strtok_r(NULL, " \t", &save);
    char *nv = strtok_r(NULL, " \t", &save);
    char *nc = strtok_r(NULL, " \t", &save);
    char *extra = strtok_r(NULL, " \t", &save);
    (void)p;
    if (r->have_header)
        return reader_fail(r, "second header line", NULL);
    if (!kind || !nv || !nc || extra)
        return reader_fail(r, "invalid header (expected \"p HEADER "
                           "VARIABLES CLAUSES\")", NULL);
    if (strcmp(kind, r->p->header) != 0) {
        xt_error_at(r->err, r->scan.name, r->scan.line, "header \"p %s\" "
                    "does not match %s (expected \"p %s\")", kind,
                    r->p->name, r->p->header);
        return XT_ERR_INPUT;
    }
    if (parse_int(&r->declared_vars, nv) || r->declared_vars < 0 ||
        r->declared_vars > XT_SOURCE_MAX_VARS)
        return reader_fail(r, "invalid number of variables", nv);
    if (parse_int(&r->declared_clauses, nc) || r->declared_clauses < 0 ||
        r->declared_clauses > XT_SOURCE_MAX_CLAUSES)
        return reader_fail(r, "invalid number of clauses", nc);
    xt_clauses_reset(*r->out, (int)r->declared_vars);
    r->have_header = 1;
    return XT_OK;
}

static int push_literal(source_reader *r, long lit, const char *tok)
{
    if (lit == 0) {
        if ((*r->out)->nclauses >= r->declared_clauses)
            return reader_fail(r, "more clauses than the header declares",
                               NULL);
        if (xt_clauses_add(*r->out, r->clause, r->clause_len) != XT_OK)
            return reader_fail(r, "out of memory", NULL);
        r->clause_len = 0;
        return XT_OK;
    }
    if (lit < -r->declared_vars || lit > r->declared_vars)
        return reader_fail(r, "literal out of range", tok);
    if (r->clause_len == r->clause_cap) {
        int cap = r->clause_cap ? 2 * r->clause_cap : 16;
        int *grown = realloc(r->clause, sizeof(int) * (size_t)cap);
        if (!grown)
            return reader_fail(r, "out of memory", NULL);
        r->clause = grown;
        r->clause_cap = cap;
    }
    r->clause[r->clause_len++] = (int)lit;
    return XT_OK;
}

static int read_clause_line(source_reader *r, char *line)
{
    char *save = NULL;
    if (!r->have_header)
        return reader_fail(r, "clause before the header line \"p ...\"",
                           NULL);
    for (char *tok = strtok_r(line, " \t", &save); tok;
         tok = strtok_r(NULL, " \t", &save)) {
        long lit;
        if (parse_int(&lit, tok))
            return reader_fail(r, "invalid literal", tok);
        int rc = push_literal(r, lit, tok);
        if (rc != XT_OK)
            return rc;
    }
    return XT_OK;
}

static int read_lines(source_reader *r)
{
    while (next_line(&r->scan)) {
        char *line = line_copy(&r->scan);
        if (!line)
            return reader_fail(r, "out of memory", NULL);
        int c = first_char(line), rc = XT_OK;
        if (c == 'p')
            rc = read_header(r, line);
        else if (c != 'c' && c != '\0' && c != '%')
            rc = read_clause_line(r, line);
        free(line);
        if (rc != XT_OK)
            return rc;
        if (c == '%')
            break;
    }
    if (!r->have_header)
        return reader_fail(r, "missing header line \"p ...\"", NULL);
    if (r->clause_len > 0)
        return reader_fail(r, "last clause does not end with 0", NULL);
    if ((*r->out)->nclauses != r->declared_clauses) {
        xt_error_at(r->err, r->scan.name, r->scan.line, "the header "
                    "declares %ld clauses but the file has %d",
                    r->declared_clauses, (*r->out)->nclauses);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

int xt_source_parse(xt_clauses_t out, const xt_source_problem *p,
                    const char *text, size_t len, const char *name,
                    xt_error_t *err)
{
    xt_clauses_t parsed;
    xt_clauses_init(parsed);
    source_reader r;
    memset(&r, 0, sizeof r);
    r.out = &parsed;
    r.p = p;
    r.err = err;
    r.scan.text = text;
    r.scan.len = len;
    r.scan.name = name;
    int rc = read_lines(&r);
    free(r.clause);
    if (rc == XT_OK) {
        xt_error_t why;
        xt_error_clear(&why);
        rc = p->validate(parsed, &why);
        if (rc != XT_OK)
            xt_error_at(err, name, 0, "%s", why.message);
    }
    if (rc == XT_OK)
        rc = xt_clauses_set(out, parsed);
    xt_clauses_clear(parsed);
    return rc;
}

int xt_source_read_file(xt_clauses_t out, const xt_source_problem *p,
                        const char *path, xt_error_t *err)
{
    char *text;
    size_t len;
    int rc = xt_read_whole_file(&text, &len, path, err);
    if (rc != XT_OK)
        return rc;
    rc = xt_source_parse(out, p, text, len, path, err);
    free(text);
    return rc;
}

void xt_source_write(FILE *stream, const xt_source_problem *p,
                     const xt_clauses_t src)
{
    fprintf(stream, "p %s %d %d\n", p->header, src->nvars, src->nclauses);
    for (int j = 0; j < src->nclauses; j++) {
        const int *lits = xt_clause_lits(src, j);
        for (int t = 0; t < xt_clause_size(src, j); t++)
            fprintf(stream, "%d ", lits[t]);
        fprintf(stream, "0\n");
    }
}

int xt_source_solve(xt_certificate_list *out, const xt_source_problem *p,
                    const xt_clauses_t src, xt_error_t *err)
{
    int n = src->nvars;
    if (n > XT_SOURCE_MAX_BRUTE_VARS) {
        xt_error_set(err, "brute force over %d variables is too large (at "
                     "most %d)", n, XT_SOURCE_MAX_BRUTE_VARS);
        return XT_ERR_LIMIT;
    }
    xt_certificate_list_clear(out);
    xt_certificate_list_init(out, n);
    xt_assignment_t a;
    xt_assignment_init(a);
    int rc = xt_assignment_resize(a, n);
    for (uint64_t bits = 0; rc == XT_OK && bits < ((uint64_t)1 << n);
         bits++) {
        for (int v = 0; v < n; v++)
            a->value[v] = (unsigned char)((bits >> v) & 1);
        if (p->check(src, a))
            rc = xt_certificate_list_push(out, a);
    }
    xt_assignment_clear(a);
    if (rc != XT_OK)
        xt_error_set(err, "out of memory");
    return rc;
}

void xt_certificates_write(FILE *stream, const xt_certificate_list *list)
{
    if (list->count == 0) {
        fprintf(stream, "s UNSATISFIABLE\n");
        return;
    }
    fprintf(stream, "s SATISFIABLE\n");
    size_t width = (size_t)(list->n > 0 ? list->n : 1);
    for (long i = 0; i < list->count; i++) {
        const unsigned char *row = list->values + width * (size_t)i;
        int column = fprintf(stream, "v");
        for (int v = 0; v < list->n; v++) {
            if (column > 70)
                column = fprintf(stream, "\nv");
            column += fprintf(stream, " %d", row[v] ? v + 1 : -(v + 1));
        }
        fprintf(stream, " 0\n");
    }
}

typedef struct {
    xt_certificate_list *out;
    xt_assignment_t current;
    int open;           /* a certificate has started */
    line_scan scan;
    xt_error_t *err;
} cert_reader;

static int cert_token(cert_reader *r, const char *tok)
{
    long lit;
    int n = r->out->n;
    if (parse_int(&lit, tok) || lit < -n || lit > n) {
        xt_error_at(r->err, r->scan.name, r->scan.line, "invalid literal "
                    "\"%s\" (variables are 1..%d)", tok, n);
        return XT_ERR_INPUT;
    }
    if (lit == 0) {
        int rc = xt_certificate_list_push(r->out, r->current);
        memset(r->current->value, 0, (size_t)(n > 0 ? n : 1));
        r->open = 0;
        return rc;
    }
    r->current->value[(lit > 0 ? lit : -lit) - 1] = lit > 0;
    r->open = 1;
    return XT_OK;
}

static int cert_line(cert_reader *r, char *line)
{
    char *save = NULL;
    char *tok = strtok_r(line, " \t", &save);
    if (!tok || !strcmp(tok, "c") || tok[0] == 'c' || !strcmp(tok, "s"))
        return XT_OK;
    if (strcmp(tok, "v") != 0) {
        xt_error_at(r->err, r->scan.name, r->scan.line, "unexpected line "
                    "starting with \"%s\" (expected c, s or v lines)", tok);
        return XT_ERR_INPUT;
    }
    while ((tok = strtok_r(NULL, " \t", &save))) {
        int rc = cert_token(r, tok);
        if (rc != XT_OK)
            return rc;
    }
    return XT_OK;
}

int xt_certificates_parse(xt_certificate_list *out, int n, const char *text,
                          size_t len, const char *name, xt_error_t *err)
{
    xt_certificate_list_clear(out);
    xt_certificate_list_init(out, n);
    cert_reader r;
    memset(&r, 0, sizeof r);
    r.out = out;
    r.err = err;
    r.scan.text = text;
    r.scan.len = len;
    r.scan.name = name;
    xt_assignment_init(r.current);
    int rc = xt_assignment_resize(r.current, n);
    while (rc == XT_OK && next_line(&r.scan)) {
        char *line = line_copy(&r.scan);
        rc = line ? cert_line(&r, line) : XT_ERR_NOMEM;
        free(line);
    }
    if (rc == XT_OK && r.open) {
        xt_error_at(err, name, r.scan.line, "the last certificate does not "
                    "end with 0");
        rc = XT_ERR_INPUT;
    }
    if (rc == XT_ERR_NOMEM)
        xt_error_set(err, "out of memory");
    xt_assignment_clear(r.current);
    return rc;
}

int xt_certificates_read_file(xt_certificate_list *out, int n,
                              const char *path, xt_error_t *err)
{
    char *text;
    size_t len;
    int rc = xt_read_whole_file(&text, &len, path, err);
    if (rc != XT_OK)
        return rc;
    rc = xt_certificates_parse(out, n, text, len, path, err);
    free(text);
    return rc;
}
