/* CSV import: one point a row, comma-separated numbers, an optional header
 * row, and the last m columns as labels.  Fields may be quoted ("1.5");
 * a quoted field may contain commas and doubled quotes but no line
 * break.  Numbers are parsed exactly, like everywhere else. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xtrain/instance.h"
#include "xtrain/rat.h"
#include "text.h"

#define MAX_COLUMNS (XT_MAX_DIM + XT_MAX_OUTPUTS)

typedef struct {
    xt_lines lines;
    xt_error_t *err;
    xt_token *fields;      /* MAX_COLUMNS + 1 entries */
    size_t count;          /* fields in the current row */
    long first_line;       /* line of the first row */
} csv_reader;

static int fail(csv_reader *r, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(csv_reader *r, const char *format, ...)
{
    char message[XT_ERROR_MAX];
    va_list args;

    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    xt_error_at(r->err, r->lines.name, r->lines.line, "%s", message);
    return XT_ERR_INPUT;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* Reads the quoted field that starts at line[*pos] == '"'.  The field is
 * the text between the quotes, doubled quotes left as they are. */
static int split_quoted(csv_reader *r, xt_token line, size_t *pos,
                        xt_token *field)
{
    size_t i = *pos + 1;

    field->start = line.start + i;
    for (;;) {
        if (i >= line.len)
            return fail(r, "unterminated quoted field in column %zu",
                        r->count + 1);
        if (line.start[i] == '"') {
            if (i + 1 < line.len && line.start[i + 1] == '"') {
                i += 2;
                continue;
            }
            break;
        }
        i++;
    }
    field->len = (size_t)(line.start + i - field->start);
    i++;
    while (i < line.len && is_blank(line.start[i]))
        i++;
    if (i < line.len && line.start[i] != ',')
        return fail(r, "unexpected text after the quoted field in column "
                    "%zu", r->count + 1);
    *pos = i;
    return XT_OK;
}

/* Splits the current line into r->fields. */
static int split_row(csv_reader *r)
{
    xt_token line = r->lines.current, field;
    size_t pos = 0;

    r->count = 0;
    for (;;) {
        while (pos < line.len && is_blank(line.start[pos]))
            pos++;
        if (pos < line.len && line.start[pos] == '"') {
            if (split_quoted(r, line, &pos, &field) != XT_OK)
                return XT_ERR_INPUT;
        } else {
            field.start = line.start + pos;
            while (pos < line.len && line.start[pos] != ',')
                pos++;
            field.len = (size_t)(line.start + pos - field.start);
            while (field.len > 0 && is_blank(field.start[field.len - 1]))
                field.len--;
        }
        if (r->count == MAX_COLUMNS)
            return fail(r, "too many columns (at most %d)", MAX_COLUMNS);
        r->fields[r->count++] = field;
        if (pos >= line.len)
            return XT_OK;
        pos++;
    }
}

/* Reports whether the current row is a header: some field is not a
 * number and starts with a letter ("x1", "label").  A row whose bad
 * fields look like numbers ("1/0", "", "1 # c") is a data row, so that
 * its error is reported instead of the row being skipped. */
static int row_is_header(const csv_reader *r, mpq_t scratch)
{
    for (size_t i = 0; i < r->count; i++) {
        const xt_token *f = &r->fields[i];
        if (f->len > 0 && isalpha((unsigned char)f->start[0]) &&
            (f->len > XT_MAX_NUMBER_CHARS ||
             xt_rat_parse_n(scratch, f->start, f->len) != 0))
            return 1;
    }
    return 0;
}

/* Finds the first row, decides whether it is a header and counts the
 * data rows.  Sets *columns, *has_header and *rows. */
static int scan_shape(csv_reader *r, int m, size_t *columns,
                      int *has_header, long *rows)
{
    mpq_t scratch;
    int status = xt_lines_next(&r->lines, r->err);

    if (status <= 0)
        return status < 0 ? XT_ERR_INPUT
                          : fail(r, "the CSV file contains no rows");
    r->first_line = r->lines.line;
    if (split_row(r) != XT_OK)
        return XT_ERR_INPUT;
    mpq_init(scratch);
    *has_header = row_is_header(r, scratch);
    mpq_clear(scratch);
    *columns = r->count;
    if (*columns <= (size_t)m || *columns - (size_t)m > XT_MAX_DIM)
        return fail(r, "the first row has %zu columns, but %d label "
                    "column%s and 1 to %d input columns are needed",
                    *columns, m, m == 1 ? "" : "s", XT_MAX_DIM);

    *rows = *has_header ? 0 : 1;
    while ((status = xt_lines_next(&r->lines, r->err)) > 0)
        if (++*rows > XT_MAX_POINTS)
            return fail(r, "too many rows (at most %d)", XT_MAX_POINTS);
    return status < 0 ? XT_ERR_INPUT : XT_OK;
}

/* Parses every data row into inst, which has the right size. */
static int read_values(csv_reader *r, xt_instance_t inst, size_t columns,
                       int has_header)
{
    long first_line = r->first_line;
    long i = 0;

    while (xt_lines_next(&r->lines, r->err) > 0) {
        if (has_header && r->lines.line == first_line)
            continue;
        if (split_row(r) != XT_OK)
            return XT_ERR_INPUT;
        if (r->count != columns)
            return fail(r, "expected %zu fields (as on line %ld), found "
                        "%zu", columns, first_line, r->count);
        for (size_t t = 0; t < columns; t++) {
            mpq_ptr target = t < (size_t)inst->d
                ? inst->x[i * inst->d + (long)t]
                : inst->y[i * inst->m + (long)t - inst->d];
            if (xt_token_to_rat(target, r->fields[t], r->lines.name,
                                r->lines.line, r->err) != XT_OK)
                return XT_ERR_INPUT;
        }
        i++;
    }
    return XT_OK;
}

static int read_csv_text(xt_instance_t inst, const char *text, size_t len,
                         const char *name, int m, xt_error_t *err)
{
    csv_reader r;
    size_t columns = 0;
    int has_header = 0, status;
    long rows = 0;
    xt_instance_t temp;

    memset(&r, 0, sizeof r);
    r.err = err;
    xt_lines_init(&r.lines, text, len, name, 0);
    r.fields = malloc((MAX_COLUMNS + 1) * sizeof *r.fields);
    if (!r.fields) {
        xt_error_at(err, name, 0, "out of memory");
        return XT_ERR_NOMEM;
    }
    xt_instance_init(temp);

    status = scan_shape(&r, m, &columns, &has_header, &rows);
    if (status == XT_OK) {
        xt_lines_init(&r.lines, text, len, name, 0);
        status = xt_instance_resize(temp, rows, (int)columns - m, m, err);
    }
    if (status == XT_OK)
        status = read_values(&r, temp, columns, has_header);
    if (status == XT_OK) {
        xt_instance_struct swap = *inst;
        *inst = *temp;
        *temp = swap;
    }
    xt_instance_clear(temp);
    free(r.fields);
    return status;
}

int xt_instance_read_csv(xt_instance_t inst, const char *path, int m,
                         xt_error_t *err)
{
    const char *name = xt_text_display_name(path);
    char *text;
    size_t len;
    int status;

    if (m < 1 || m > XT_MAX_OUTPUTS) {
        xt_error_at(err, name, 0, "invalid number of label columns %d "
                    "(expected 1 to %d)", m, XT_MAX_OUTPUTS);
        return XT_ERR_INPUT;
    }
    status = xt_text_read_file(&text, &len, path, err);
    if (status != XT_OK)
        return status;
    status = read_csv_text(inst, text, len, name, m, err);
    free(text);
    return status;
}
