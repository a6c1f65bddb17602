/* Sparse linear and mixed-integer programs with rational coefficients,
 * written in CPLEX LP format (the text format read by CPLEX, Gurobi,
 * GLPK's glpsol --lp, HiGHS and SCIP) or converted to xtrain's exact
 * xt_lp_t.  LP files hold decimal numbers, so every row is multiplied by
 * the least common multiple of its denominators: the file is exact. */
#include "xtrain/error.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"
#include "xtrain/rat.h"

/* Terms per output line, to stay far below the 510-character limit of
 * some LP readers. */
#define TERMS_PER_LINE 6

void xt_prog_init(xt_prog *p)
{
    memset(p, 0, sizeof *p);
}

void xt_prog_clear(xt_prog *p)
{
    for (int r = 0; r < p->nrows; r++) {
        for (int t = 0; t < p->rows[r].count; t++)
            mpq_clear(p->rows[r].terms[t].value);
        free(p->rows[r].terms);
        mpq_clear(p->rows[r].rhs);
    }
    for (int c = 0; c < p->ncols; c++)
        mpq_clear(p->obj[c]);
    free(p->rows);
    free(p->names);
    free(p->binary);
    free(p->squared);
    free(p->obj);
    xt_prog_init(p);
}

static void *grow(void *array, int *cap, int need, size_t size)
{
    if (need <= *cap)
        return array;
    int next = *cap ? *cap * 2 : 16;
    while (next < need)
        next *= 2;
    void *bigger = realloc(array, (size_t)next * size);
    if (!bigger)
        xt_out_of_memory((size_t)next * size);
    *cap = next;
    return bigger;
}

int xt_prog_col(xt_prog *p, const char *format, ...)
{
    int cap = p->col_cap, c = p->ncols;
    va_list args;

    p->names = grow(p->names, &cap, c + 1, sizeof *p->names);
    cap = p->col_cap;
    p->binary = grow(p->binary, &cap, c + 1, 1);
    cap = p->col_cap;
    p->squared = grow(p->squared, &cap, c + 1, 1);
    cap = p->col_cap;
    p->obj = grow(p->obj, &cap, c + 1, sizeof *p->obj);
    p->col_cap = cap;
    va_start(args, format);
    vsnprintf(p->names[c], sizeof p->names[c], format, args);
    va_end(args);
    p->binary[c] = 0;
    p->squared[c] = 0;
    mpq_init(p->obj[c]);
    return p->ncols++;
}

int xt_prog_row_new(xt_prog *p, xt_prog_sense sense, const char *format,
                    ...)
{
    va_list args;
    xt_prog_row *row;

    p->rows = grow(p->rows, &p->row_cap, p->nrows + 1, sizeof *p->rows);
    row = &p->rows[p->nrows];
    memset(row, 0, sizeof *row);
    row->sense = sense;
    mpq_init(row->rhs);
    va_start(args, format);
    vsnprintf(row->name, sizeof row->name, format, args);
    va_end(args);
    return p->nrows++;
}

void xt_prog_add(xt_prog *p, int r, int col, const mpq_t value)
{
    xt_prog_row *row = &p->rows[r];

    if (mpq_sgn(value) == 0)
        return;
    for (int t = 0; t < row->count; t++)
        if (row->terms[t].col == col) {
            mpq_add(row->terms[t].value, row->terms[t].value, value);
            return;
        }
    row->terms = grow(row->terms, &row->cap, row->count + 1,
                      sizeof *row->terms);
    row->terms[row->count].col = col;
    mpq_init(row->terms[row->count].value);
    mpq_set(row->terms[row->count].value, value);
    row->count++;
}

void xt_prog_add_si(xt_prog *p, int row, int col, long value)
{
    mpq_t q;

    mpq_init(q);
    mpq_set_si(q, value, 1);
    xt_prog_add(p, row, col, q);
    mpq_clear(q);
}

/* Least common multiple of the denominators of a row. */
static void row_scale(mpz_t scale, const xt_prog_row *row)
{
    mpz_set(scale, mpq_denref(row->rhs));
    for (int t = 0; t < row->count; t++)
        mpz_lcm(scale, scale, mpq_denref(row->terms[t].value));
}

/* Writes " + 3 name" or " - 3 name"; first omits a leading "+". */
static void write_term(FILE *f, const mpz_t coef, const char *name,
                       int first)
{
    mpz_t a;

    mpz_init(a);
    mpz_abs(a, coef);
    if (mpz_sgn(coef) < 0)
        fputs(" -", f);
    else if (!first)
        fputs(" +", f);
    fputc(' ', f);
    if (mpz_cmp_ui(a, 1) != 0) {
        mpz_out_str(f, 10, a);
        fputc(' ', f);
    }
    fputs(name, f);
    mpz_clear(a);
}

static void write_objective(FILE *f, const xt_prog *p)
{
    mpz_t scale, coef;
    int written = 0, squares = 0;

    mpz_inits(scale, coef, NULL);
    mpz_set_ui(scale, 1);
    for (int c = 0; c < p->ncols; c++)
        mpz_lcm(scale, scale, mpq_denref(p->obj[c]));
    if (mpz_cmp_ui(scale, 1) != 0) {
        fputs("\\ the objective is multiplied by ", f);
        mpz_out_str(f, 10, scale);
        fputc('\n', f);
    }
    fputs("Minimize\n obj:", f);
    for (int c = 0; c < p->ncols; c++) {
        if (mpq_sgn(p->obj[c]) == 0)
            continue;
        mpz_divexact(coef, scale, mpq_denref(p->obj[c]));
        mpz_mul(coef, coef, mpq_numref(p->obj[c]));
        write_term(f, coef, p->names[c], written == 0);
        if (++written % TERMS_PER_LINE == 0)
            fputs("\n  ", f);
    }
    for (int c = 0; c < p->ncols; c++) {
        if (!p->squared[c])
            continue;
        /* [ 2 s x^2 ] / 2 is s x^2 */
        fputs(squares == 0 ? (written ? " + [" : " [") : " +", f);
        fputc(' ', f);
        mpz_mul_ui(coef, scale, 2);
        mpz_out_str(f, 10, coef);
        fprintf(f, " %s ^ 2", p->names[c]);
        if (++squares % TERMS_PER_LINE == 0)
            fputs("\n  ", f);
    }
    if (squares)
        fputs(" ] / 2", f);
    if (written == 0 && squares == 0)
        fprintf(f, " 0 %s", p->ncols ? p->names[0] : "x");
    fputc('\n', f);
    mpz_clears(scale, coef, NULL);
}

static void write_row(FILE *f, const xt_prog *p, const xt_prog_row *row)
{
    static const char *sense[] = {"<=", "=", ">="};
    mpz_t scale, coef;

    mpz_inits(scale, coef, NULL);
    row_scale(scale, row);
    fprintf(f, " %s:", row->name);
    for (int t = 0; t < row->count; t++) {
        mpz_divexact(coef, scale, mpq_denref(row->terms[t].value));
        mpz_mul(coef, coef, mpq_numref(row->terms[t].value));
        write_term(f, coef, p->names[row->terms[t].col], t == 0);
        if ((t + 1) % TERMS_PER_LINE == 0 && t + 1 < row->count)
            fputs("\n  ", f);
    }
    if (row->count == 0)
        fprintf(f, " 0 %s", p->names[0]);
    fprintf(f, " %s ", sense[row->sense + 1]);
    mpz_divexact(coef, scale, mpq_denref(row->rhs));
    mpz_mul(coef, coef, mpq_numref(row->rhs));
    mpz_out_str(f, 10, coef);
    fputc('\n', f);
    mpz_clears(scale, coef, NULL);
}

void xt_prog_write_lp(FILE *f, const xt_prog *p, const char *title)
{
    int binaries = 0, column = 0;

    fprintf(f, "\\ %s\n\\ generated by xtrain export; every row is scaled "
            "to integer coefficients\n", title);
    write_objective(f, p);
    fputs("Subject To\n", f);
    for (int r = 0; r < p->nrows; r++)
        write_row(f, p, &p->rows[r]);
    fputs("Bounds\n", f);
    for (int c = 0; c < p->ncols; c++)
        if (!p->binary[c])
            fprintf(f, " %s free\n", p->names[c]);
    for (int c = 0; c < p->ncols; c++)
        binaries += p->binary[c];
    if (binaries) {
        fputs("Binaries\n", f);
        for (int c = 0; c < p->ncols; c++) {
            if (!p->binary[c])
                continue;
            fprintf(f, " %s", p->names[c]);
            if (++column % 8 == 0)
                fputc('\n', f);
        }
        if (column % 8 != 0)
            fputc('\n', f);
    }
    fputs("End\n", f);
}

void xt_prog_to_lp(xt_lp_t lp, const xt_prog *p)
{
    mpq_t *coef = xt_rat_array_new((size_t)(p->ncols > 0 ? p->ncols : 1));
    mpq_t rhs;

    mpq_init(rhs);
    xt_lp_init(lp, p->ncols);
    for (int r = 0; r < p->nrows; r++) {
        const xt_prog_row *row = &p->rows[r];
        int negate = row->sense == XT_PROG_LE;
        for (int c = 0; c < p->ncols; c++)
            mpq_set_ui(coef[c], 0, 1);
        for (int t = 0; t < row->count; t++) {
            mpq_set(coef[row->terms[t].col], row->terms[t].value);
            if (negate)
                mpq_neg(coef[row->terms[t].col], coef[row->terms[t].col]);
        }
        mpq_set(rhs, row->rhs);
        if (negate)
            mpq_neg(rhs, rhs);
        xt_lp_add_row(lp, (const mpq_t *)coef,
                      row->sense == XT_PROG_EQ ? XT_ROW_EQ : XT_ROW_GE, rhs);
    }
    for (int c = 0; c < p->ncols; c++) {
        mpq_set(lp->c[c], p->obj[c]);
        if (!p->squared[c])
            continue;
        for (int i = 0; i < p->ncols; i++)
            mpq_set_ui(coef[i], i == c ? 1 : 0, 1);
        mpq_set_ui(rhs, 0, 1);
        xt_lp_add_square(lp, (const mpq_t *)coef, rhs);
    }
    mpq_clear(rhs);
    xt_rat_array_free(coef, (size_t)(p->ncols > 0 ? p->ncols : 1));
}
