/* Slices of real data: a few rows and columns of a CSV file as an exact
 * instance.  The reader is deliberately simple.  Fields are separated by
 * commas and never quoted.  A first row with a field that is not a number
 * is skipped, because scikit-learn's bundled files start with such a row.
 * Rows may have any length as long as they contain the requested
 * columns. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"
#include "xtrain/rat.h"

/* Largest CSV file read, in bytes: slices are meant for small data. */
#define SLICE_MAX_BYTES (64L * 1024 * 1024)

typedef struct {
    char *text;        /* the whole file, NUL-terminated */
    char **row;        /* start of each data row */
    long rows;
} csv_file;

static void csv_clear(csv_file *f)
{
    free(f->text);
    free(f->row);
}

static int read_text(csv_file *f, const char *path, xt_error_t *err)
{
    FILE *in = fopen(path, "rb");
    if (!in) {
        xt_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return XT_ERR_IO;
    }
    f->text = malloc((size_t)SLICE_MAX_BYTES + 1);
    size_t got = f->text ? fread(f->text, 1, SLICE_MAX_BYTES + 1, in) : 0;
    int failed = ferror(in);
    fclose(in);
    if (!f->text) {
        xt_error_set(err, "out of memory reading %s", path);
        return XT_ERR_NOMEM;
    }
    if (failed || got > (size_t)SLICE_MAX_BYTES) {
        xt_error_set(err, "%s: %s", path, failed ? "read failed"
                     : "larger than 64 MiB; slices are for small files");
        return XT_ERR_IO;
    }
    f->text[got] = '\0';
    return XT_OK;
}

/* Returns field number col (0-based) of the row starting at line, in out
 * (at most size - 1 characters, spaces trimmed); 0 when the row is
 * shorter. */
static int get_field(char *out, size_t size, const char *line, int col)
{
    const char *p = line;
    for (int c = 0; c < col; c++) {
        p = strpbrk(p, ",\n");
        if (!p || *p == '\n')
            return 0;
        p++;
    }
    size_t len = strcspn(p, ",\r\n");
    while (len > 0 && isspace((unsigned char)p[len - 1]))
        len--;
    while (len > 0 && isspace((unsigned char)*p)) {
        p++;
        len--;
    }
    if (len >= size)
        len = size - 1;
    memcpy(out, p, len);
    out[len] = '\0';
    return 1;
}

/* Whether every field of the row is a number. */
static int row_is_numeric(const char *line)
{
    char field[256];
    mpq_t q;
    int numeric = 1;
    mpq_init(q);
    for (int c = 0; numeric && get_field(field, sizeof field, line, c); c++)
        numeric = xt_rat_parse(q, field) == 0;
    mpq_clear(q);
    return numeric;
}

/* Splits the text into rows, skipping blank lines and a non-numeric
 * first row. */
static int split_rows(csv_file *f, xt_error_t *err)
{
    long lines = 1;
    for (const char *p = f->text; *p; p++)
        lines += *p == '\n';
    f->row = malloc((size_t)lines * sizeof *f->row);
    if (!f->row) {
        xt_error_set(err, "out of memory for %ld CSV rows", lines);
        return XT_ERR_NOMEM;
    }
    f->rows = 0;
    int first = 1;
    for (char *p = f->text; *p;) {
        char *end = strchr(p, '\n');
        int blank = strspn(p, " \t\r") == (size_t)(end ? end - p
                                                        : (long)strlen(p));
        if (!blank && !(first && !row_is_numeric(p)))
            f->row[f->rows++] = p;
        if (!blank)
            first = 0;
        if (!end)
            break;
        p = end + 1;
    }
    return XT_OK;
}

/* Parses a list of 1-based numbers and ranges ("3,5-7") into out (at
 * most max entries, each in 1..limit); returns the count or -1. */
static long parse_list(long *out, long max, const char *text, long limit,
                       const char *what, xt_error_t *err)
{
    long count = 0;
    const char *p = text;
    while (*p) {
        char *end;
        long lo = strtol(p, &end, 10), hi = lo;
        if (end != p && *end == '-')
            hi = strtol(end + 1, &end, 10);
        if (end == p || (*end && *end != ',') || lo < 1 || hi < lo ||
            hi > limit || count + (hi - lo + 1) > max) {
            xt_error_set(err, "invalid %s list \"%s\" (expected numbers "
                         "and ranges such as 1,3-5 within 1..%ld, at most "
                         "%ld in all)", what, text, limit, max);
            return -1;
        }
        for (long v = lo; v <= hi; v++)
            out[count++] = v;
        p = *end ? end + 1 : end;
    }
    if (count == 0) {
        xt_error_set(err, "empty %s list", what);
        return -1;
    }
    return count;
}

/* Chooses n distinct rows at random, in increasing order (1-based). */
static void random_rows(long *out, long n, long rows, xt_rng_t *rng)
{
    long *order = malloc((size_t)rows * sizeof *order);
    if (!order)
        return;
    for (long i = 0; i < rows; i++)
        order[i] = i + 1;
    for (long t = 0; t < n; t++) {
        long pick = xt_gen_int(rng, t, rows - 1), v = order[pick];
        order[pick] = order[t];
        order[t] = v;
    }
    for (long t = 0; t < n; t++) {
        long v = order[t], s = t;
        while (s > 0 && out[s - 1] > v) {
            out[s] = out[s - 1];
            s--;
        }
        out[s] = v;
    }
    free(order);
}

/* Copies value (row, 1-based column) into q. */
static int read_value(mpq_t q, const csv_file *f, long row, long col,
                      const char *path, xt_error_t *err)
{
    char field[256];
    if (!get_field(field, sizeof field, f->row[row - 1], (int)col - 1) ||
        xt_rat_parse(q, field) != 0) {
        xt_error_set(err, "%s: data row %ld has no number in column %ld",
                     path, row, col);
        return XT_ERR_INPUT;
    }
    return XT_OK;
}

static int fill_slice(xt_gen_result_t res, const csv_file *f,
                      const long *rows, long n, const long *cols, int d,
                      long label_col, const xt_gen_options *opt,
                      xt_error_t *err)
{
    xt_instance_struct *inst = res->instance;
    int rc = XT_OK;
    for (long i = 0; i < n && rc == XT_OK; i++) {
        for (int t = 0; t < d && rc == XT_OK; t++)
            rc = read_value(inst->x[i * d + t], f, rows[i], cols[t],
                            opt->csv_path, err);
        if (rc == XT_OK)
            rc = read_value(inst->y[i], f, rows[i], label_col,
                            opt->csv_path, err);
        if (rc == XT_OK && opt->binary_label)
            mpq_set_si(inst->y[i], mpq_equal(inst->y[i], opt->label_value),
                       1);
    }
    return rc;
}

/* Number of fields in the first data row. */
static long count_columns(const csv_file *f)
{
    long count = 1;
    for (const char *p = f->row[0]; *p && *p != '\n'; p++)
        count += *p == ',';
    return count;
}

static int build_slice(xt_gen_result_t res, const csv_file *f,
                       const xt_gen_options *opt, xt_error_t *err)
{
    long width = count_columns(f);
    long cols[XT_MAX_DIM], *rows = calloc((size_t)f->rows, sizeof *rows);
    if (!rows) {
        xt_error_set(err, "out of memory for %ld rows", f->rows);
        return XT_ERR_NOMEM;
    }
    long d = parse_list(cols, XT_MAX_DIM, opt->columns ? opt->columns : "1",
                        width, "column", err);
    long n = d < 0 ? -1
           : opt->rows ? parse_list(rows, f->rows, opt->rows, f->rows, "row",
                                    err)
                       : opt->n;
    long label_col = opt->label_column > 0 ? opt->label_column : width;
    int rc = XT_ERR_INPUT;
    if (n > f->rows || label_col > width) {
        xt_error_set(err, "%s has %ld data rows and %ld columns", opt->csv_path,
                     f->rows, width);
    } else if (d > 0 && n > 0) {
        if (!opt->rows) {
            xt_rng_t rng;
            xt_rng_seed(&rng, opt->seed);
            random_rows(rows, n, f->rows, &rng);
        }
        rc = xt_instance_resize(res->instance, n, (int)d, 1, err);
        if (rc == XT_OK)
            rc = fill_slice(res, f, rows, n, cols, (int)d, label_col, opt,
                            err);
    }
    if (rc == XT_OK) {
        const char *base = strrchr(opt->csv_path, '/');
        char *value = opt->binary_label ? xt_rat_to_string(opt->label_value)
                                        : NULL;
        rc = xt_gen_note(res, "slice of %s: %ld rows, columns %s, label "
                         "column %ld%s%s%s", base ? base + 1 : opt->csv_path,
                         n, opt->columns ? opt->columns : "1", label_col,
                         value ? " (1 where it equals " : "",
                         value ? value : "", value ? ", else 0)" : "");
        free(value);
    }
    for (long i = 0; rc == XT_OK && i < n; i += 16) {
        char line[256];
        int used = snprintf(line, sizeof line, "rows:");
        for (long s = i; s < n && s < i + 16; s++)
            used += snprintf(line + used, sizeof line - (size_t)used, " %ld",
                             rows[s]);
        rc = xt_gen_note(res, "%s", line);
    }
    free(rows);
    return rc;
}

int xt_gen_slice(xt_gen_result_t res, const xt_gen_options *given,
                 xt_error_t *err)
{
    xt_gen_options defaults = xt_gen_with_defaults(given, 0, 1, 6);
    const xt_gen_options *opt = &defaults;
    if (!opt->csv_path) {
        xt_error_set(err, "a slice needs a CSV file (--csv FILE)");
        return XT_ERR_INPUT;
    }
    if (opt->n < 1 || opt->hidden < 0 || opt->hidden > XT_MAX_HIDDEN ||
        opt->label_column < 0) {
        xt_error_set(err, "invalid slice size or hidden count");
        return XT_ERR_INPUT;
    }
    csv_file f;
    memset(&f, 0, sizeof f);
    int rc = read_text(&f, opt->csv_path, err);
    if (rc == XT_OK)
        rc = split_rows(&f, err);
    if (rc == XT_OK && f.rows == 0) {
        xt_error_set(err, "%s: no data rows", opt->csv_path);
        rc = XT_ERR_INPUT;
    }
    if (rc == XT_OK)
        rc = build_slice(res, &f, opt, err);
    if (rc == XT_OK)
        xt_gen_settings(res->instance, opt, XT_ACT_RELU, opt->k,
                        opt->output_bias, opt->convex);
    csv_clear(&f);
    return rc;
}
